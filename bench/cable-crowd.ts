// Benchmark: 5,000 subscribed cable sockets on one `tessera start` child process. Measures the server's RSS per
// connection, the time for the whole crowd to connect and get confirm + first preflight, and the latency of pushes
// (state change request sent → push with the new sequence received) at a paced rate, against a baseline of the same
// request stream with a single idle connection, measured in the same run.
// Run: node --import tsx bench/cable-crowd.ts
// Knobs (env): BENCH_CROWD=5000 BENCH_PROBES=1000 BENCH_PUSH_RATES=500,150 BENCH_PUSH_SECONDS=10 BENCH_OPEN_CONCURRENCY=256
//              BENCH_SETTLE_MS=6000 BENCH_INSPECT=0 (no inspector: raw RSS only, no server event-loop numbers)
//              BENCH_QUIET_WAIT_S=120 (wait up to this long for other processes to go quiet before starting)
//              BENCH_PROFILE=1 (also CPU profiles of the crowd phases, summarized and saved under the temp dir)
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { TEST_KEYS } from '../packages/server/src/testing/start-test-server.ts';
import type { CrowdCommand, CrowdOpened, CrowdStats } from './lib/crowd-worker.ts';
import { attachInspector, summarizeProfile, type Inspector } from './lib/inspector.ts';
import { cpuWatch, openFilesLimit, postgresBackends, rssKb, waitForQuiet } from './lib/proc.ts';
import { startServerChild, type ServerChild } from './lib/server-child.ts';
import { fmtSummary, mapLimit, ms, sleep, summarize, withTimeout, type Summary } from './lib/stats.ts';
import { consentAll, createSessions } from './lib/tessera-api.ts';

const int = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const CROWD = int('BENCH_CROWD', 5000);
/** Sockets held (and timed) by this process; the rest of the crowd lives in a worker process that only reads pings. */
const PROBES = Math.min(CROWD, int('BENCH_PROBES', 1000));
/** Update rates: the first is the target's (500/s); the others show where the update path stops keeping up. */
const RATES = (process.env.BENCH_PUSH_RATES ?? '500,150').split(',').map((r) => {
  const rate = Number(r.trim());
  if (!Number.isInteger(rate) || rate < 1) throw new Error('BENCH_PUSH_RATES must be a comma-separated list of positive integers');
  return rate;
});
const PUSH_SECONDS = int('BENCH_PUSH_SECONDS', 10);
const OPEN_CONCURRENCY = int('BENCH_OPEN_CONCURRENCY', 256);
/** Two ping periods (3 s each): the settle after connecting also measures what pinging the idle crowd costs. */
const SETTLE_MS = int('BENCH_SETTLE_MS', 6000);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** The inspector is attached (127.0.0.1, random port) for forced GCs before memory readings and a server event-loop monitor. */
const INSPECT = PROFILE || process.env.BENCH_INSPECT !== '0';
const TARGETS = { rssPerConnectionKb: 40, pushP99Ms: 50 };
/** In the 1-connection baseline, one slot in this many updates the watched session; the rest update others. */
const BASELINE_WATCHED_EVERY = 5;
const OUTSTANDING_WAIT_MS = 5000;

const IDENTIFIER = JSON.stringify({ channel: 'BynnKycChannel' });
const SUBSCRIBE = JSON.stringify({ command: 'subscribe', identifier: IDENTIFIER });
const PING_PREFIX = '{"type":"ping","message":';
/** The ActionCable action asking for the current preflight (§6): answered by a push, no state change. */
const PREFLIGHT_REQUEST = JSON.stringify({ command: 'message', identifier: IDENTIFIER, data: JSON.stringify({ action: 'preflight' }) });

/** Counters and samples of one measured phase. */
class Phase {
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

interface Pending {
  phase: Phase;
  sentAt: number;
  expect: number;
  status: number | null;
  pushedAt: number | null;
}

/** One applicant socket, subscribed to its session. */
class Client {
  ws: WebSocket | null = null;
  sequence = -1;
  confirmed = false;
  ready = false;
  closedByUs = false;
  pending: Pending | null = null;
  #startedAt = 0;
  #onReady: ((ms: number) => void) | null = null;
  #onFail: ((error: Error) => void) | null = null;
  constructor(readonly sessionId: string, readonly counters: Counters) {}

  /** Resolves with ms from connect start to confirm + first preflight. */
  open(wsBase: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#onReady = resolve;
      this.#onFail = reject;
      this.#startedAt = performance.now();
      const ws = new WebSocket(`${wsBase}?session_id=${this.sessionId}`, ['actioncable-v1-json'], { perMessageDeflate: false });
      this.ws = ws;
      ws.on('message', (data: Buffer) => this.#frame(data));
      ws.on('error', (error) => this.#fail(error));
      ws.on('close', (code) => {
        if (!this.ready) this.#fail(new Error(`closed with ${code} before confirm + preflight`));
        else if (!this.closedByUs) this.counters.unexpectedCloses += 1;
      });
    });
  }

  close(): void {
    this.closedByUs = true;
    this.ws?.terminate();
  }

  #fail(error: Error): void {
    const fail = this.#onFail;
    this.#onFail = null;
    this.#onReady = null;
    fail?.(error);
  }

  #frame(data: Buffer): void {
    const text = data.toString('utf8');
    if (text.startsWith(PING_PREFIX)) {
      this.counters.pings += 1;
      const now = performance.timeOrigin + performance.now();
      const key = Number(text.slice(PING_PREFIX.length, -1));
      const burst = this.counters.pingBursts.get(key);
      if (burst) {
        burst.last = now;
        burst.count += 1;
      } else this.counters.pingBursts.set(key, { first: now, last: now, count: 1 });
      return;
    }
    const frame = JSON.parse(text) as { type?: string; message?: { sequence?: number } };
    if (frame.type === 'welcome') this.ws?.send(SUBSCRIBE);
    else if (frame.type === 'confirm_subscription') this.confirmed = true;
    else if (frame.message && typeof frame.message.sequence === 'number') this.#preflight(frame.message.sequence);
    else if (frame.type === 'disconnect' || frame.type === 'reject_subscription') this.#fail(new Error(`server said ${text}`));
  }

  #preflight(sequence: number): void {
    const now = performance.now();
    if (!this.ready) {
      if (!this.confirmed) this.counters.preflightBeforeConfirm += 1;
      this.ready = true;
      this.sequence = sequence;
      const ready = this.#onReady;
      this.#onReady = null;
      this.#onFail = null;
      ready?.(now - this.#startedAt);
      return;
    }
    const pending = this.pending;
    if (pending !== null && pending.pushedAt === null && sequence >= pending.expect) {
      this.sequence = Math.max(this.sequence, sequence);
      pending.pushedAt = now;
      pending.phase.pushMs.push(now - pending.sentAt);
      if (pending.status !== null) this.pending = null;
      return;
    }
    if (sequence <= this.sequence) {
      this.counters.stalePushes += 1;
      return;
    }
    this.sequence = sequence;
    this.counters.unsolicitedPushes += 1;
  }
}

interface Counters {
  pings: number;
  stalePushes: number;
  unsolicitedPushes: number;
  preflightBeforeConfirm: number;
  unexpectedCloses: number;
  /** Per ping (keyed by its unix-seconds value): when the first and the last socket received it. */
  pingBursts: Map<number, { first: number; last: number; count: number }>;
}

interface PhaseReport {
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

async function main(): Promise<void> {
  const limit = openFilesLimit();
  const need = CROWD + 512;
  console.log(`# cable-crowd: ${CROWD} sockets, updates at ${RATES.join(' and ')}/s for ${PUSH_SECONDS} s each; node ${process.version}, ${cpus().length} cores`);
  console.log(`open files (ulimit -n): soft ${limit.soft}, hard ${limit.hard}; need ≥ ${need} in this process and in the server (one fd per socket each side)`);
  if (limit.soft < need) {
    console.error(`ulimit -n is ${limit.soft}: too low for ${CROWD} sockets. Raise it first (\`ulimit -n ${Math.min(limit.hard, need * 2)}\`, hard limit ${limit.hard}) or lower BENCH_CROWD.`);
    process.exit(3);
  }
  await waitForQuiet(Number(process.env.BENCH_QUIET_WAIT_S ?? 120) * 1000);
  if (PROFILE) console.log('BENCH_PROFILE=1: CPU profiles run during the crowd phases, so their latency and CPU numbers are inflated');

  const counters: Counters = { pings: 0, stalePushes: 0, unsolicitedPushes: 0, preflightBeforeConfirm: 0, unexpectedCloses: 0, pingBursts: new Map() };
  let server: ServerChild | null = null;
  let inspector: Inspector | null = null;
  const clients: Client[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    server = await startServerChild({ inspect: INSPECT });
    serverPid = server.pid;
    const serverLimit = openFilesLimit(server.pid);
    if (serverLimit.soft < need) throw new Error(`the server's open-files limit is ${serverLimit.soft}: too low for ${CROWD} sockets`);
    if (INSPECT) {
      if (!server.inspectorUrl) throw new Error('the server printed no inspector URL');
      inspector = await attachInspector(server.inspectorUrl);
      await inspector.evaluate(INSTALL_LOOP_MONITOR);
    }
    const wsBase = `ws://127.0.0.1:${server.port}/cable`;
    console.log(`server: pid ${server.pid}, ${server.url}, RSS at start ${mb(rssKb(server.pid))}${INSPECT ? ', inspector attached (forced GC before memory readings, event-loop delay monitor)' : ''}`);

    let t = performance.now();
    const ids = await createSessions(server.url, TEST_KEYS.private, CROWD, { concurrency: 16 });
    const created = performance.now() - t;
    t = performance.now();
    await consentAll(server.url, ids, 16);
    console.log(`setup: ${CROWD} sessions created in ${(created / 1000).toFixed(1)} s, consented in ${((performance.now() - t) / 1000).toFixed(1)} s (through the API)`);

    const update = makeUpdater(server.port, agent);
    const pids = (): number[] => [server!.pid, ...postgresBackends(server!.databaseName)];
    const phases: PhaseReport[] = [];
    const run = async (name: string, connections: number, pick: Picker, mode: Mode, rate: number, seconds: number, profile = false): Promise<PhaseReport> => {
      if (profile && PROFILE && inspector) await inspector.startProfile();
      const report = await pushPhase(name, connections, pick, mode, mode === 'update' ? update : cableRequest, rate, seconds, pids(), inspector);
      if (profile && PROFILE && inspector) printProfile(name, await inspector.stopProfile());
      if (seconds === PUSH_SECONDS) phases.push(report);
      return report;
    };

    // Baseline: the same paced request streams with one idle connection (after a short warm-up).
    const watched = new Client(ids[0]!, counters);
    await withTimeout(watched.open(wsBase), 10_000, 'baseline connection');
    const others = ids.slice(1);
    const baselinePick: Picker = (slot) =>
      slot % BASELINE_WATCHED_EVERY === 0 && watched.pending === null ? watched : others[Math.floor(Math.random() * others.length)]!;
    await run('warm-up', 1, baselinePick, 'update', RATES[RATES.length - 1]!, 3);
    const baselines = new Map<number, PhaseReport>();
    for (const rate of RATES) baselines.set(rate, await run(`update → push @${rate}/s, baseline: 1 connection`, 1, baselinePick, 'update', rate, PUSH_SECONDS));
    // The cable alone (no write path): a preflight requested over the socket → its push; one in flight per socket.
    const baselineRequest = await run(`cable preflight request → push @${RATES[0]}/s, baseline: 1 connection`, 1,
      () => (watched.pending === null ? watched : null), 'request', RATES[0]!, PUSH_SECONDS);
    watched.close();

    // Memory before the crowd; the settle doubles as the idle reference (no sockets: background work only).
    const idleBefore = await idle(SETTLE_MS, [server.pid, ...pids().slice(1)], inspector, counters);
    const before = await memory(server.pid, inspector);
    console.log(`server before the crowd: ${fmtMemory(before)}`);

    // The crowd: PROBES sockets here (timed), the rest in the worker; both connect at once, sharing OPEN_CONCURRENCY.
    const probeIds = ids.slice(0, PROBES);
    const workerIds = ids.slice(PROBES);
    const worker = workerIds.length > 0 ? await startCrowdWorker() : null;
    if (worker) benchPids.push(worker.pid);
    for (const id of probeIds) clients.push(new Client(id, counters));
    const probeConcurrency = Math.max(1, Math.round((OPEN_CONCURRENCY * PROBES) / CROWD));
    if (PROFILE && inspector) await inspector.startProfile();
    await resetLoop(inspector);
    const connectWatch = cpuWatch([server.pid, ...benchPids, ...pids().slice(1)]);
    const failures: string[] = [];
    t = performance.now();
    const [probeMs, workerOpened] = await withTimeout(Promise.all([
      mapLimit(clients, probeConcurrency, (client) =>
        client.open(wsBase).catch((error: unknown) => {
          failures.push(error instanceof Error ? error.message : String(error));
          return Number.NaN;
        })),
      worker
        ? worker.ask<CrowdOpened>({ type: 'open', wsBase, ids: workerIds, concurrency: Math.max(1, OPEN_CONCURRENCY - probeConcurrency), timeoutMs: 170_000 })
        : Promise.resolve<CrowdOpened>({ type: 'opened', connectMs: [], failures: [] }),
    ]), 180_000, 'crowd connect');
    const crowdMs = performance.now() - t;
    const connectCpu = splitCpu(connectWatch());
    const connectLoop = await readLoop(inspector);
    if (PROFILE && inspector) printProfile('crowd connect', await inspector.stopProfile());
    failures.push(...workerOpened.failures);
    const live = clients.filter((c) => c.ready);
    const ready = live.length + workerOpened.connectMs.length;
    const perConnect = summarize([...probeMs.filter(Number.isFinite), ...workerOpened.connectMs]);
    const rssJustAfter = rssKb(server.pid);
    console.log(`crowd: ${ready}/${CROWD} got confirm + preflight in ${(crowdMs / 1000).toFixed(2)} s (${(ready / (crowdMs / 1000)).toFixed(0)} conn/s, ` +
      `${OPEN_CONCURRENCY} handshakes in flight at most; ${live.length} here, ${workerOpened.connectMs.length} in the worker); per connection ${fmtSummary(perConnect)}`);
    console.log(`  CPU: server ${(connectCpu.serverMs / connectCpu.wallMs).toFixed(2)} cores (${((1000 * connectCpu.serverMs) / Math.max(1, ready)).toFixed(0)} µs per connection), ` +
      `its postgres ${(connectCpu.postgresMs / connectCpu.wallMs).toFixed(2)} (${((1000 * connectCpu.postgresMs) / Math.max(1, ready)).toFixed(0)} µs), ` +
      `bench ${(connectCpu.benchMs / connectCpu.wallMs).toFixed(2)}, other processes ${connectCpu.foreignCores.toFixed(2)}${connectLoop ? `; server event-loop lateness ${fmtLoop(connectLoop)}` : ''}`);
    if (failures.length > 0) console.log(`  ${failures.length} failed, e.g. ${[...new Set(failures)].slice(0, 3).join(' | ')}`);

    // The idle crowd: only the server's pings to every socket run now.
    const workerPings = async (): Promise<number> => (worker ? (await worker.ask<CrowdStats>({ type: 'stats' })).pings : 0);
    if (PROFILE && inspector) await inspector.startProfile();
    const workerPingsBefore = await workerPings();
    const idleCrowd = await idle(SETTLE_MS, [server.pid, ...pids().slice(1)], inspector, counters);
    idleCrowd.pings += (await workerPings()) - workerPingsBefore;
    if (PROFILE && inspector) printProfile('idle crowd (pings only)', await inspector.stopProfile());
    const extraCpuMs = idleCrowd.serverCpuMs - idleBefore.serverCpuMs * (idleCrowd.wallMs / idleBefore.wallMs);
    console.log(`idle crowd (pings only) for ${(idleCrowd.wallMs / 1000).toFixed(1)} s: server CPU ${(idleCrowd.serverCpuMs / idleCrowd.wallMs).toFixed(3)} cores ` +
      `(no sockets: ${(idleBefore.serverCpuMs / idleBefore.wallMs).toFixed(3)}), ${idleCrowd.pings} pings received → ` +
      `${idleCrowd.pings ? ((1000 * extraCpuMs) / idleCrowd.pings).toFixed(1) : 'n/a'} µs server CPU per ping; other processes ${idleCrowd.otherCores.toFixed(2)} cores` +
      (idleCrowd.loop ? `; server event-loop lateness ${fmtLoop(idleCrowd.loop)} (no sockets: ${idleBefore.loop ? fmtLoop(idleBefore.loop) : 'n/a'})` : ''));
    const after = await memory(server.pid, inspector);
    // The crowd starts from the post-GC state when the inspector is attached (the GC itself would skew a raw diff).
    const startKb = before.gc?.rssKb ?? before.rssKb;
    const perConnKb = (after.rssKb - startKb) / Math.max(1, ready);
    console.log(`server with the crowd: RSS ${mb(rssJustAfter)} just after connecting; after ${SETTLE_MS} ms settle ${fmtMemory(after)}`);
    const perConn = (x: number | undefined, y: number | undefined): string => (x === undefined || y === undefined ? 'n/a' : `${((x - y) / Math.max(1, ready)).toFixed(1)} KB`);
    console.log(`  per connection: RSS ${perConnKb.toFixed(1)} KB after the settle (target ≤ ${TARGETS.rssPerConnectionKb} KB)` +
      (after.gc && before.gc
        ? `; both after a forced GC: RSS ${perConn(after.gc.rssKb, before.gc.rssKb)}, JS heap ${perConn(after.gc.heapUsedKb, before.gc.heapUsedKb)}, ` +
          `external ${perConn(after.gc.externalKb, before.gc.externalKb)}`
        : ''));

    // Pushes with the crowd connected: timed on this process's sockets; when all tried are busy (the server is behind),
    // the slot still goes out, untimed, to a worker socket so the offered rate stays what it says.
    const crowdPick = (mode: Mode): Picker => () => {
      for (let tries = 0; tries < 20; tries += 1) {
        const client = live[Math.floor(Math.random() * live.length)]!;
        if (client.pending === null) return client;
      }
      return mode === 'update' && workerIds.length > 0 ? workerIds[Math.floor(Math.random() * workerIds.length)]! : null;
    };
    const workerPushes = async (): Promise<number> => (worker ? (await worker.ask<CrowdStats>({ type: 'stats' })).pushes : 0);
    const crowdRun = async (name: string, mode: Mode, rate: number): Promise<PhaseReport> => {
      const pushesBefore = await workerPushes();
      const report = await run(name, ready, crowdPick(mode), mode, rate, PUSH_SECONDS, true);
      await sleep(500);
      report.untimedLost = report.untimedOk - ((await workerPushes()) - pushesBefore);
      report.untimedOnWorker = worker !== null;
      if (report.untimedOk > 0) console.log(`    untimed updates on worker sockets: ${report.untimedOk} answered 200, ${report.untimedLost} pushes missing there`);
      return report;
    };
    const crowds = new Map<number, PhaseReport>();
    for (const rate of RATES) crowds.set(rate, await crowdRun(`update → push @${rate}/s, crowd: ${ready} connections`, 'update', rate));
    const crowdRequest = await crowdRun(`cable preflight request → push @${RATES[0]}/s, crowd: ${ready} connections`, 'request', RATES[0]!);
    const workerStats = worker ? await worker.ask<CrowdStats>({ type: 'stats' }) : null;
    await worker?.close();
    for (const [key, burst] of workerStats?.bursts ?? []) {
      const mine = counters.pingBursts.get(key);
      counters.pingBursts.set(key, mine
        ? { first: Math.min(mine.first, burst.first), last: Math.max(mine.last, burst.last), count: mine.count + burst.count }
        : burst);
    }
    if (workerStats) {
      counters.pings += workerStats.pings;
      counters.stalePushes += workerStats.stale;
      counters.unexpectedCloses += workerStats.unexpectedCloses;
    }

    console.log('');
    for (const phase of phases) printPhase(phase);
    const bursts = [...counters.pingBursts.values()].filter((burst) => burst.count >= ready * 0.9).map((burst) => burst.last - burst.first);
    if (bursts.length > 0) {
      console.log(`ping bursts to the crowd (first → last socket receiving the same ping, server write + bench read): ${fmtSummary(summarize(bursts))}`);
    }
    console.log('');
    const verdict = (ok: boolean): string => (ok ? 'meets target' : 'MISSES target');
    console.log(`per-connection RSS ${perConnKb.toFixed(1)} KB: ${verdict(perConnKb <= TARGETS.rssPerConnectionKb)} (≤ ${TARGETS.rssPerConnectionKb} KB)`);
    console.log(`crowd connect + confirm + first preflight: ${(crowdMs / 1000).toFixed(2)} s for ${ready}`);
    for (const rate of RATES) {
      const crowd = crowds.get(rate)!;
      const base = baselines.get(rate)!;
      console.log(`update → push @${rate}/s: crowd p99 ${ms(crowd.push.p99)} ${verdict(crowd.push.p99 <= TARGETS.pushP99Ms)} (≤ ${TARGETS.pushP99Ms} ms); ` +
        `1-connection baseline p99 ${ms(base.push.p99)} (${(crowd.push.p99 / base.push.p99).toFixed(2)}×); lost ${crowd.lost + crowd.untimedLost} + ${base.lost} (target 0)`);
    }
    console.log(`cable alone, preflight request → push @${RATES[0]}/s: crowd p99 ${ms(crowdRequest.push.p99)} vs 1-connection ${ms(baselineRequest.push.p99)}; ` +
      `lost ${crowdRequest.lost + baselineRequest.lost}`);
    console.log(`protocol: ${counters.pings} pings received, ${counters.stalePushes} stale pushes, ${counters.unsolicitedPushes} unsolicited, ` +
      `${counters.preflightBeforeConfirm} preflights before confirm, ${counters.unexpectedCloses} unexpected closes`);
    const logs = server.logLines();
    console.log(`server log lines at warn or above: ${logs.length}${logs.length ? `, first: ${logs[0]!.slice(0, 300)}` : ''}`);
    console.log(`RESULT ${JSON.stringify({
      bench: 'cable-crowd', crowd: CROWD, ready, connectSeconds: crowdMs / 1000, perConnect, before, after, rssPerConnectionKb: perConnKb,
      phases, counters: { ...counters, pingBursts: bursts.length }, connectFailures: failures.length,
    })}`);
  } finally {
    for (const client of clients) client.close();
    agent.destroy();
    inspector?.close();
    await server?.stop();
    serverPid = null;
  }
}

type Picker = (slot: number) => Client | string | null;

interface IdleReading { wallMs: number; serverCpuMs: number; otherCores: number; pings: number; loop: LoopReading | null }

/** Waits `millis` with no load from the bench, measuring what the server does meanwhile. */
async function idle(millis: number, cpuPids: number[], inspector: Inspector | null, counters: Counters): Promise<IdleReading> {
  await resetLoop(inspector);
  const pings = counters.pings;
  const watch = cpuWatch(cpuPids);
  await sleep(millis);
  const cpu = watch();
  return { wallMs: cpu.wallMs, serverCpuMs: cpu.perPidMs[0]!, otherCores: cpu.foreignCores, pings: counters.pings - pings, loop: await readLoop(inspector) };
}

interface MemoryReading {
  rssKb: number;
  /** After two forced full GCs (inspector attached only). */
  gc: { rssKb: number; heapUsedKb: number; externalKb: number } | null;
}

async function memory(pid: number, inspector: Inspector | null): Promise<MemoryReading> {
  const raw = rssKb(pid);
  if (!inspector) return { rssKb: raw, gc: null };
  await inspector.collectGarbage();
  await inspector.collectGarbage();
  const usage = await inspector.memoryUsage();
  return { rssKb: raw, gc: { rssKb: rssKb(pid), heapUsedKb: usage.heapUsed / 1024, externalKb: usage.external / 1024 } };
}

const fmtMemory = (m: MemoryReading): string =>
  `RSS ${mb(m.rssKb)}${m.gc ? ` (after a forced GC: RSS ${mb(m.gc.rssKb)}, JS heap used ${mb(m.gc.heapUsedKb)}, external ${mb(m.gc.externalKb)})` : ''}`;

/** An event-loop delay histogram inside the server, installed through the inspector (nothing in packages/ changes). */
const LOOP_RESOLUTION_MS = 10;
const INSTALL_LOOP_MONITOR = `(() => {
  const { monitorEventLoopDelay } = process.getBuiltinModule('node:perf_hooks');
  const h = monitorEventLoopDelay({ resolution: ${LOOP_RESOLUTION_MS} });
  h.enable();
  globalThis.__tesseraBenchLoop = h;
  return 'ok';
})()`;

interface LoopReading { p50: number; p99: number; max: number }

async function resetLoop(inspector: Inspector | null): Promise<void> {
  await inspector?.evaluate('globalThis.__tesseraBenchLoop.reset()');
}

async function readLoop(inspector: Inspector | null): Promise<LoopReading | null> {
  if (!inspector) return null;
  const text = await inspector.evaluate('(() => { const h = globalThis.__tesseraBenchLoop; return JSON.stringify({ p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 }); })()');
  // The histogram holds whole timer intervals: what the loop was late by is that minus the timer's period.
  const raw = JSON.parse(String(text)) as LoopReading;
  return { p50: Math.max(0, raw.p50 - LOOP_RESOLUTION_MS), p99: Math.max(0, raw.p99 - LOOP_RESOLUTION_MS), max: Math.max(0, raw.max - LOOP_RESOLUTION_MS) };
}

const fmtLoop = (l: LoopReading): string => `p50 ${ms(l.p50)} · p99 ${ms(l.p99)} · max ${ms(l.max)}`;

/** Sends one slot's action to a session; resolves with its HTTP status (200 for a cable frame). */
type Sender = (target: Client | string, slot: number) => Promise<number>;
/** `update`: a state change, awaited push has a higher sequence; `request`: a cable preflight request, same sequence is fine. */
type Mode = 'update' | 'request';

const cableRequest: Sender = (target) => {
  if (typeof target === 'string') throw new Error('a cable request needs a connected client');
  target.ws?.send(PREFLIGHT_REQUEST);
  return Promise.resolve(200);
};

/** `POST /v1/sessions/{id}` with a new expires_in: an `extend` flow event, so the sequence moves and a push follows. */
function makeUpdater(port: number, agent: http.Agent): Sender {
  return (target, slot) => new Promise<number>((resolve) => {
    const sessionId = typeof target === 'string' ? target : target.sessionId;
    const body = Buffer.from(JSON.stringify({ expires_in: 7 * 24 * 3600 + (slot % 3600) }));
    const request = http.request({
      host: '127.0.0.1', port, agent, method: 'POST', path: `/v1/sessions/${sessionId}`,
      headers: { authorization: `Bearer ${TEST_KEYS.private}`, 'content-type': 'application/json', 'content-length': body.length },
    }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve(0));
    });
    request.on('error', () => resolve(0));
    request.setTimeout(30_000, () => request.destroy());
    request.end(body);
  });
}

/**
 * Sends `RATE` updates per second for `seconds`, open loop (on schedule, not waiting for answers). `pick` names the
 * session of each slot: a Client (its push is awaited and timed) or a bare id (load only).
 */
async function pushPhase(name: string, connections: number, pick: Picker, mode: Mode, send: Sender, rate: number, seconds: number, cpuPids: number[],
  inspector: Inspector | null): Promise<PhaseReport> {
  const phase = new Phase(name);
  const total = rate * seconds;
  const interval = 1000 / rate;
  await resetLoop(inspector);
  const answers: Promise<void>[] = [];
  const watchers = new Set<Client>();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const watch = cpuWatch([...cpuPids.slice(0, 1), ...benchPids, ...cpuPids.slice(1)]);
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
  const cpu = splitCpu(watch());
  loop.disable();
  const serverLoop = await readLoop(inspector);
  const report: PhaseReport = {
    name,
    rate,
    connections,
    requests: phase.sent - phase.skipped,
    skipped: phase.skipped,
    measuredPushes: phase.pushMs.length,
    push: summarize(phase.pushMs),
    http: summarize(phase.httpMs),
    scheduleLag: summarize(phase.lagMs),
    statuses: phase.statuses,
    lost,
    unanswered,
    serverCpuCores: cpu.serverMs / cpu.wallMs,
    serverCpuUsPerOp: (1000 * cpu.serverMs) / Math.max(1, phase.sent - phase.skipped),
    postgresCpuUsPerOp: (1000 * cpu.postgresMs) / Math.max(1, phase.sent - phase.skipped),
    benchCpuCores: cpu.benchMs / cpu.wallMs,
    postgresCpuCores: cpu.postgresMs / cpu.wallMs,
    untimedOk: phase.untimedOk,
    untimedLost: 0,
    untimedOnWorker: false,
    otherCores: cpu.foreignCores,
    benchLoopDelayP99Ms: Math.max(0, loop.percentile(99) / 1e6 - 5), // minus the 5 ms timer period
    serverLoop,
  };
  console.log(`  ${name}: ${report.requests} sent, ${report.measuredPushes} timed pushes, push p99 ${ms(report.push.p99)}, lost ${lost}`);
  return report;
}

function printPhase(r: PhaseReport): void {
  console.log(`${r.name}: ${r.requests} sent${r.skipped ? ` (${r.skipped} slots skipped: the session(s) tried had one in flight)` : ''}, ` +
    `${r.measuredPushes} timed pushes, statuses ${JSON.stringify(r.statuses)}, lost ${r.lost}` +
    `${r.untimedOnWorker && r.untimedOk ? ` (+ ${r.untimedLost} of ${r.untimedOk} untimed ones on worker sockets)` : ''}, unanswered ${r.unanswered}`);
  console.log(`  push (request sent → push received): ${fmtSummary(r.push)}`);
  if (r.name.startsWith('update')) console.log(`  HTTP answer of the update:           ${fmtSummary(r.http)}`);
  console.log(`  pacing lag of the generator:         p99 ${ms(r.scheduleLag.p99)}, bench event-loop delay p99 ${ms(r.benchLoopDelayP99Ms)}`);
  console.log(`  CPU: server ${r.serverCpuCores.toFixed(2)} cores (${r.serverCpuUsPerOp.toFixed(0)} µs per request), its postgres ${r.postgresCpuCores.toFixed(2)} ` +
    `(${r.postgresCpuUsPerOp.toFixed(0)} µs), bench ${r.benchCpuCores.toFixed(2)}, other processes ${r.otherCores.toFixed(2)}` +
    (r.serverLoop ? `; server event-loop lateness ${fmtLoop(r.serverLoop)}` : ''));
}

let profileCount = 0;
function printProfile(what: string, profile: Parameters<typeof summarizeProfile>[0]): void {
  const path = join(tmpdir(), `tessera-cable-crowd-${process.pid}-${++profileCount}.cpuprofile`);
  console.log(`  server CPU profile, ${what}:`);
  for (const line of summarizeProfile(profile, path)) console.log(line);
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** This process and, once started, the crowd worker: "bench" CPU. */
const benchPids: number[] = [process.pid];

/** Splits a cpuWatch over [server, ...benchPids, ...postgres backends] into its three parts. */
function splitCpu(cpu: ReturnType<ReturnType<typeof cpuWatch>>) {
  const bench = benchPids.length;
  return {
    wallMs: cpu.wallMs,
    foreignCores: cpu.foreignCores,
    serverMs: cpu.perPidMs[0]!,
    benchMs: sum(cpu.perPidMs.slice(1, 1 + bench)),
    postgresMs: sum(cpu.perPidMs.slice(1 + bench)),
  };
}

interface CrowdWorker {
  pid: number;
  ask<T>(command: CrowdCommand): Promise<T>;
  close(): Promise<void>;
}

/** Forks lib/crowd-worker.ts; one question at a time, answered in order. */
async function startCrowdWorker(): Promise<CrowdWorker> {
  const child = fork(fileURLToPath(new URL('./lib/crowd-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  crowdWorker = child;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await withTimeout(new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`crowd worker exited with ${code} before it was ready`)));
  }), 30_000, 'crowd worker start');
  return {
    pid: child.pid ?? -1,
    ask<T>(command: CrowdCommand) {
      return withTimeout(new Promise<T>((resolve, reject) => {
        const onExit = (code: number | null): void => reject(new Error(`crowd worker exited with ${code}`));
        child.once('exit', onExit);
        child.once('message', (reply: T) => {
          child.off('exit', onExit);
          resolve(reply);
        });
        child.send(command);
      }), 200_000, `crowd worker ${command.type}`);
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'exit' } satisfies CrowdCommand);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;

/** Known as soon as the child runs, so an abnormal exit of this process never leaves the server behind. */
let serverPid: number | null = null;
let crowdWorker: ChildProcess | null = null;
process.on('exit', () => {
  if (crowdWorker && crowdWorker.exitCode === null) crowdWorker.kill('SIGKILL');
  if (serverPid !== null) {
    try {
      process.kill(serverPid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const watchdog = setTimeout(() => {
  console.error('cable-crowd bench: overall time limit (20 min) reached, exiting');
  process.exit(2);
}, 20 * 60_000);
watchdog.unref();

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('cable-crowd bench failed:', error);
    process.exit(1);
  },
);
