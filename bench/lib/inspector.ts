// Optional profiling of a server child through its inspector (127.0.0.1 only): CPU profiles of a phase, a forced
// GC, and process.memoryUsage(). Used by cable-crowd.ts (profiles only with BENCH_PROFILE=1).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { withTimeout } from './stats.ts';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface Inspector {
  call<T = unknown>(method: string, params?: object): Promise<T>;
  startProfile(): Promise<void>;
  stopProfile(): Promise<CpuProfile>;
  collectGarbage(): Promise<void>;
  /** Evaluates an expression in the server's main context; resolves with its value (returned by value). */
  evaluate(expression: string): Promise<unknown>;
  memoryUsage(): Promise<NodeJS.MemoryUsage>;
  close(): void;
}

export async function attachInspector(url: string): Promise<Inspector> {
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
  await withTimeout(new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  }), 10_000, 'inspector connect');
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) entry?.reject(new Error(message.error.message));
    else entry?.resolve(message.result);
  });
  const call = <T>(method: string, params: object = {}): Promise<T> => {
    const id = nextId++;
    const answer = new Promise<T>((resolve, reject) => waiting.set(id, { resolve: resolve as (value: unknown) => void, reject }));
    socket.send(JSON.stringify({ id, method, params }));
    return withTimeout(answer, 60_000, `inspector ${method}`);
  };
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 200 });
  return {
    call,
    startProfile: () => call('Profiler.start'),
    stopProfile: async () => (await call<{ profile: CpuProfile }>('Profiler.stop')).profile,
    collectGarbage: () => call('HeapProfiler.collectGarbage'),
    async evaluate(expression) {
      const answer = await call<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', { expression, returnByValue: true });
      if (answer.exceptionDetails) throw new Error(`inspector evaluate failed: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`);
      return answer.result.value;
    },
    async memoryUsage() {
      const answer = await call<{ result: { value: string } }>('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
      return JSON.parse(answer.result.value) as NodeJS.MemoryUsage;
    },
    close: () => socket.close(),
  };
}

/** Where a frame's code lives: a package, Tessera's own source, Node internals, or V8's pseudo-frames. */
function placeOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/packages\/([^/]+)\/src\/(.*)$/.exec(url);
  if (ours) return `tessera/${ours[1]}/${ours[2]!.split('/')[0]}`;
  if (url.startsWith('node:')) return url.startsWith('node:internal/') ? `node:${url.split('/')[1]}` : url;
  return url;
}

/** Self time per function and per place, heaviest first, as printable lines. Also saves the raw profile. */
export function summarizeProfile(profile: CpuProfile, savePath: string | null, top = 20): string[] {
  if (savePath) writeFileSync(savePath, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = profile.endTime - profile.startTime;
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const fn = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const place = placeOf(frame);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  }
  const pct = (us: number): string => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `    profile: ${(totalUs / 1000).toFixed(0)} ms wall${savePath ? `, saved to ${savePath}` : ''}`,
    '    self time by place:',
    ...sorted(byPlace).map(([place, us]) => `      ${pct(us)} ${place}`),
    '    self time by function:',
    ...sorted(byFunction).map(([fn, us]) => `      ${pct(us)} ${fn}`),
  ];
}

let profileCount = 0;

/**
 * Runs `fn` under a CPU profile of the server when `inspector` is given (null: just runs it), then prints the
 * profile's summary under `what` and saves it as <temp dir>/<savePrefix>-<pid>-<n>.cpuprofile.
 */
export async function profiled<T>(inspector: Inspector | null, what: string, savePrefix: string, fn: () => Promise<T>): Promise<T> {
  if (!inspector) return fn();
  await inspector.startProfile();
  const result = await fn();
  const profile = await inspector.stopProfile();
  const path = join(tmpdir(), `${savePrefix}-${process.pid}-${++profileCount}.cpuprofile`);
  console.log(`  server CPU profile, ${what}:`);
  for (const line of summarizeProfile(profile, path)) console.log(line);
  return result;
}
