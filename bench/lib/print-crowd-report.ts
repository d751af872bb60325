// The end of the cable benchmark's output: every phase in full, ping bursts, the verdicts against the targets, and
// the RESULT line (one JSON object) that tools read.
import type { CrowdConnected } from './crowd-connect.ts';
import type { ProbeCounters } from './probe-client.ts';
import { printPhase, type PhaseReport } from './push-phase.ts';
import type { MemoryReading } from './server-memory.ts';
import { fmtSummary, ms, summarize } from './stats.ts';

export interface CrowdTargets { rssPerConnectionKb: number; pushP99Ms: number }

export interface CrowdReport {
  crowd: number;
  rates: number[];
  targets: CrowdTargets;
  /** Every measured phase (not the warm-up), in the order run. */
  phases: PhaseReport[];
  /** Update phases per rate, with one idle connection and with the crowd. */
  baselines: Map<number, PhaseReport>;
  crowds: Map<number, PhaseReport>;
  /** Cable preflight requests at the first rate, with one connection and with the crowd. */
  baselineRequest: PhaseReport;
  crowdRequest: PhaseReport;
  connected: CrowdConnected;
  counters: ProbeCounters;
  before: MemoryReading;
  after: MemoryReading;
  rssPerConnectionKb: number;
  serverLogs: string[];
}

export function printCrowdReport(r: CrowdReport): void {
  const { counters, targets } = r;
  const { ready, crowdMs } = r.connected;
  console.log('');
  for (const phase of r.phases) printPhase(phase);
  // Only pings that reached (nearly) the whole crowd: the ones sent before it connected went to a socket or two.
  const bursts = [...counters.pingBursts.values()].filter((burst) => burst.count >= ready * 0.9).map((burst) => burst.last - burst.first);
  if (bursts.length > 0) {
    console.log(`ping bursts to the crowd (first → last socket receiving the same ping, server write + bench read): ${fmtSummary(summarize(bursts))}`);
  }
  console.log('');
  const verdict = (ok: boolean): string => (ok ? 'meets target' : 'MISSES target');
  const perConnKb = r.rssPerConnectionKb;
  console.log(`per-connection RSS ${perConnKb.toFixed(1)} KB: ${verdict(perConnKb <= targets.rssPerConnectionKb)} (≤ ${targets.rssPerConnectionKb} KB)`);
  console.log(`crowd connect + confirm + first preflight: ${(crowdMs / 1000).toFixed(2)} s for ${ready}`);
  for (const rate of r.rates) {
    const crowd = r.crowds.get(rate)!;
    const base = r.baselines.get(rate)!;
    console.log(`update → push @${rate}/s: crowd p99 ${ms(crowd.push.p99)} ${verdict(crowd.push.p99 <= targets.pushP99Ms)} (≤ ${targets.pushP99Ms} ms); ` +
      `1-connection baseline p99 ${ms(base.push.p99)} (${(crowd.push.p99 / base.push.p99).toFixed(2)}×); lost ${crowd.lost + crowd.untimedLost} + ${base.lost} (target 0)`);
  }
  console.log(`cable alone, preflight request → push @${r.rates[0]}/s: crowd p99 ${ms(r.crowdRequest.push.p99)} vs 1-connection ${ms(r.baselineRequest.push.p99)}; ` +
    `lost ${r.crowdRequest.lost + r.baselineRequest.lost}`);
  console.log(`protocol: ${counters.pings} pings received, ${counters.stalePushes} stale pushes, ${counters.unsolicitedPushes} unsolicited, ` +
    `${counters.preflightBeforeConfirm} preflights before confirm, ${counters.unexpectedCloses} unexpected closes`);
  const logs = r.serverLogs;
  console.log(`server log lines at warn or above: ${logs.length}${logs.length ? `, first: ${logs[0]!.slice(0, 300)}` : ''}`);
  console.log(`RESULT ${JSON.stringify({
    bench: 'cable-crowd', crowd: r.crowd, ready, connectSeconds: crowdMs / 1000, perConnect: r.connected.perConnect, before: r.before, after: r.after,
    rssPerConnectionKb: perConnKb, phases: r.phases, counters: { ...counters, pingBursts: bursts.length }, connectFailures: r.connected.failures.length,
  })}`);
}
