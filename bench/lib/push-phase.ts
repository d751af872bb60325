// One measured phase of the cable benchmark: actions sent open loop at a paced rate, each probe action's push
// awaited and timed, with the CPU and event-loop readings of the same window.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { cpuShares, fmtCpu, watchSplitCpu, type CpuPids } from './cpu-split.ts';
import type { Inspector } from './inspector.ts';
import type { Pending, ProbeClient } from './probe-client.ts';
import type { Sender } from './push-senders.ts';
import { readLoop, resetLoop, type LoopReading } from './server-loop.ts';
import { fmtSummary, ms, sleep, summarize, withTimeout, type Summary } from './stats.ts';

/** Pushes still owed when the phase ends get this long before they count as lost. */
const OUTSTANDING_WAIT_MS = 5000;

/** Counters and samples of one measured phase. */
export class Phase {
  readonly pushMs: number[] = [];
  readonly httpMs: number[] = [];
  readonly lagMs: number[] = [];
  readonly statuses: Record<string, number> = {};
  sent = 0;
  measured = 0;
  /** Slots not sent because no session without an update in flight was found (the server is far behind). */
  skipped = 0;
  /** Updates answered 200 on sessions not timed here (load only): in the crowd phases, the worker's sessions. */
  untimedOk = 0;
  unexpectedPushes = 0;
  constructor(readonly name: string) {}
}

/** Names the session of each slot: a probe (its push is awaited and timed), a bare id (load only), or null (skip). */
export type Picker = (slot: number) => ProbeClient | string | null;
/** `update`: a state change, awaited push has a higher sequence; `request`: a cable preflight request, same sequence is fine. */
export type Mode = 'update' | 'request';

export interface PushPhaseOptions {
  name: string;
  connections: number;
  pick: Picker;
  mode: Mode;
  send: Sender;
  rate: number;
  seconds: number;
  cpuPids: CpuPids;
  inspector: Inspector | null;
}

export interface PhaseReport {
  name: string;
  rate: number;
  connections: number;
  requests: number;
  skipped: number;
  measuredPushes: number;
  push: Summary;
  http: Summary;
  scheduleLag: Summary;
  statuses: Record<string, number>;
  lost: number;
  unanswered: number;
  serverCpuCores: number;
  postgresCpuCores: number;
  /** CPU time per request sent, which contention on a shared machine barely changes (unlike latency). */
  serverCpuUsPerOp: number;
  postgresCpuUsPerOp: number;
  /** Untimed (load-only) updates on the worker's sockets answered 200, and how many of their pushes never arrived. */
  untimedOk: number;
  untimedLost: number;
  /** Whether untimed updates went to worker sockets (crowd phases) rather than to unconnected sessions (baseline). */
  untimedOnWorker: boolean;
  benchCpuCores: number;
  otherCores: number;
  benchLoopDelayP99Ms: number;
  serverLoop: LoopReading | null;
}

/**
 * Sends `rate` actions per second for `seconds`, open loop (on schedule, not waiting for answers). `pick` names the
 * session of each slot.
 */
export async function pushPhase(o: PushPhaseOptions): Promise<PhaseReport> {
  const { name, pick, mode, send, rate, inspector } = o;
  const phase = new Phase(name);
  const total = rate * o.seconds;
  const interval = 1000 / rate;
  await resetLoop(inspector);
  const answers: Promise<void>[] = [];
  const watchers = new Set<ProbeClient>();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const watch = watchSplitCpu(o.cpuPids);
  const started = performance.now();
  await new Promise<void>((done) => {
    const tick = (): void => {
      const now = performance.now();
      while (phase.sent < total && started + phase.sent * interval <= now) {
        const slot = phase.sent++;
        const target = pick(slot);
        if (target === null) {
          phase.skipped += 1;
          continue;
        }
        const sentAt = performance.now();
        phase.lagMs.push(sentAt - (started + slot * interval));
        let pending: Pending | null = null;
        if (typeof target !== 'string') {
          pending = { phase, sentAt, expect: mode === 'update' ? target.sequence + 1 : target.sequence, status: null, pushedAt: null };
          target.pending = pending;
          watchers.add(target);
          phase.measured += 1;
        }
        answers.push(send(target, slot).then((status) => {
          phase.httpMs.push(performance.now() - sentAt);
          phase.statuses[status] = (phase.statuses[status] ?? 0) + 1;
          if (typeof target === 'string' && status === 200) phase.untimedOk += 1;
          if (pending === null || typeof target === 'string') return;
          pending.status = status;
          // No push follows a refused change; a pushed-and-answered update frees its session for another.
          if (status !== 200 || pending.pushedAt !== null) {
            if (target.pending === pending) target.pending = null;
          }
        }));
      }
      if (phase.sent < total) setTimeout(tick, Math.max(0, started + phase.sent * interval - performance.now()));
      else done();
    };
    tick();
  });
  await withTimeout(Promise.all(answers), 60_000, `${name}: answers`).catch((error: unknown) => console.log(`  ${String(error)}`));
  // Pushes still owed (answered 200, no push yet) get a grace period, then count as lost.
  const deadline = performance.now() + OUTSTANDING_WAIT_MS;
  while ([...watchers].some((c) => c.pending?.phase === phase) && performance.now() < deadline) await sleep(20);
  let lost = 0;
  let unanswered = 0;
  for (const client of watchers) {
    const pending = client.pending;
    if (pending?.phase !== phase) continue;
    if (pending.status === null) unanswered += 1;
    else if (pending.pushedAt === null) lost += 1;
    client.pending = null;
  }
  const requests = phase.sent - phase.skipped;
  const cpu = cpuShares(watch(), requests);
  loop.disable();
  const serverLoop = await readLoop(inspector);
  const report: PhaseReport = {
    name,
    rate,
    connections: o.connections,
    requests,
    skipped: phase.skipped,
    measuredPushes: phase.pushMs.length,
    push: summarize(phase.pushMs),
    http: summarize(phase.httpMs),
    scheduleLag: summarize(phase.lagMs),
    statuses: phase.statuses,
    lost,
    unanswered,
    serverCpuCores: cpu.serverCpuCores,
    serverCpuUsPerOp: cpu.serverCpuUsPerOp,
    postgresCpuUsPerOp: cpu.postgresCpuUsPerOp,
    benchCpuCores: cpu.benchCpuCores,
    postgresCpuCores: cpu.postgresCpuCores,
    untimedOk: phase.untimedOk,
    untimedLost: 0,
    untimedOnWorker: false,
    otherCores: cpu.otherCores,
    benchLoopDelayP99Ms: Math.max(0, loop.percentile(99) / 1e6 - 5), // minus the 5 ms timer period
    serverLoop,
  };
  console.log(`  ${name}: ${report.requests} sent, ${report.measuredPushes} timed pushes, push p99 ${ms(report.push.p99)}, lost ${lost}`);
  return report;
}

export function printPhase(r: PhaseReport): void {
  console.log(`${r.name}: ${r.requests} sent${r.skipped ? ` (${r.skipped} slots skipped: the session(s) tried had one in flight)` : ''}, ` +
    `${r.measuredPushes} timed pushes, statuses ${JSON.stringify(r.statuses)}, lost ${r.lost}` +
    `${r.untimedOnWorker && r.untimedOk ? ` (+ ${r.untimedLost} of ${r.untimedOk} untimed ones on worker sockets)` : ''}, unanswered ${r.unanswered}`);
  console.log(`  push (request sent → push received): ${fmtSummary(r.push)}`);
  if (r.name.startsWith('update')) console.log(`  HTTP answer of the update:           ${fmtSummary(r.http)}`);
  console.log(`  pacing lag of the generator:         p99 ${ms(r.scheduleLag.p99)}, bench event-loop delay p99 ${ms(r.benchLoopDelayP99Ms)}`);
  console.log(`  ${fmtCpu(r, 'request', r.serverLoop)}`);
}
