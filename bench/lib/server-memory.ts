// The server child's memory: raw RSS from /proc, and with an inspector also RSS, JS heap and external memory after
// forced full GCs, which per-connection numbers need (garbage not yet collected would be counted as the crowd's).
import type { Inspector } from './inspector.ts';
import { rssKb } from './proc.ts';
import { mb } from './stats.ts';

export interface MemoryReading {
  rssKb: number;
  /** After two forced full GCs (inspector attached only). */
  gc: { rssKb: number; heapUsedKb: number; externalKb: number } | null;
}

export async function serverMemory(pid: number, inspector: Inspector | null): Promise<MemoryReading> {
  const raw = rssKb(pid);
  if (!inspector) return { rssKb: raw, gc: null };
  await inspector.collectGarbage();
  await inspector.collectGarbage();
  const usage = await inspector.memoryUsage();
  return { rssKb: raw, gc: { rssKb: rssKb(pid), heapUsedKb: usage.heapUsed / 1024, externalKb: usage.external / 1024 } };
}

export const fmtMemory = (m: MemoryReading): string =>
  `RSS ${mb(m.rssKb)}${m.gc ? ` (after a forced GC: RSS ${mb(m.gc.rssKb)}, JS heap used ${mb(m.gc.heapUsedKb)}, external ${mb(m.gc.externalKb)})` : ''}`;
