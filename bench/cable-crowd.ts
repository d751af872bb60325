// Benchmark: 5,000 subscribed cable sockets on one `tessera start` child process. Measures the server's RSS per
// connection, the time for the whole crowd to connect and get confirm + first preflight, and the latency of pushes
// (state change request sent → push with the new sequence received) at a paced rate, against a baseline of the same
// request stream with a single idle connection, measured in the same run.
// Run: node --import tsx bench/cable-crowd.ts
// Knobs (env): BENCH_CROWD=5000 BENCH_PROBES=1000 BENCH_PUSH_RATES=500,150 BENCH_PUSH_SECONDS=10 BENCH_OPEN_CONCURRENCY=256
//              BENCH_SETTLE_MS=6000 BENCH_INSPECT=0 (no inspector: raw RSS only, no server event-loop numbers)
//              BENCH_QUIET_WAIT_S=120 (wait up to this long for other processes to go quiet before starting)
//              BENCH_PROFILE=1 (also CPU profiles of the crowd phases, summarized and saved under the temp dir)
// The parts live in bench/lib/: probe-client.ts (a timed socket), crowd-worker.ts (the idle crowd, another process),
// push-phase.ts (one paced phase), crowd-connect.ts, measure-idle.ts, server-memory.ts, print-crowd-report.ts.
import http from 'node:http';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { TEST_KEYS } from '../packages/server/src/testing/start-test-server.ts';
import { mergePingBursts } from './lib/cable-protocol.ts';
import type { CpuPids } from './lib/cpu-split.ts';
import { connectCrowd, type Profiler } from './lib/crowd-connect.ts';
import type { CrowdStats } from './lib/crowd-worker.ts';
import { envInt, envIntList, quietWaitMs } from './lib/env-int.ts';
import { attachInspector, profiled, type Inspector } from './lib/inspector.ts';
import { killAtExit } from './lib/kill-at-exit.ts';
import { measureIdle } from './lib/measure-idle.ts';
import { newProbeCounters, ProbeClient } from './lib/probe-client.ts';
import { openFilesLimit, postgresBackends, rssKb, waitForQuiet } from './lib/proc.ts';
import { printCrowdReport } from './lib/print-crowd-report.ts';
import { pushPhase, type Mode, type PhaseReport, type Picker } from './lib/push-phase.ts';
import { cableRequest, makeUpdater } from './lib/push-senders.ts';
import { runBench } from './lib/run-bench.ts';
import { startServerChild, type ServerChild } from './lib/server-child.ts';
import { fmtLoop, installLoopMonitor } from './lib/server-loop.ts';
import { fmtMemory, serverMemory } from './lib/server-memory.ts';
import { startCrowdWorker } from './lib/start-crowd-worker.ts';
import { mb, sleep, withTimeout } from './lib/stats.ts';
import { consentAll, createSessions } from './lib/tessera-api.ts';

const CROWD = envInt('BENCH_CROWD', 5000);
/** Sockets held (and timed) by this process; the rest of the crowd lives in a worker process that only reads pings. */
const PROBES = Math.min(CROWD, envInt('BENCH_PROBES', 1000));
/** Update rates: the first is the target's (500/s); the others show where the update path stops keeping up. */
const RATES = envIntList('BENCH_PUSH_RATES', '500,150');
const PUSH_SECONDS = envInt('BENCH_PUSH_SECONDS', 10);
const OPEN_CONCURRENCY = envInt('BENCH_OPEN_CONCURRENCY', 256);
/** Two ping periods (3 s each): the settle after connecting also measures what pinging the idle crowd costs. */
const SETTLE_MS = envInt('BENCH_SETTLE_MS', 6000);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** The inspector is attached (127.0.0.1, random port) for forced GCs before memory readings and a server event-loop monitor. */
const INSPECT = PROFILE || process.env.BENCH_INSPECT !== '0';
const TARGETS = { rssPerConnectionKb: 40, pushP99Ms: 50 };
/** In the 1-connection baseline, one slot in this many updates the watched session; the rest update others. */
const BASELINE_WATCHED_EVERY = 5;

async function main(): Promise<void> {
  const limit = openFilesLimit();
  const need = CROWD + 512;
  console.log(`# cable-crowd: ${CROWD} sockets, updates at ${RATES.join(' and ')}/s for ${PUSH_SECONDS} s each; node ${process.version}, ${cpus().length} cores`);
  console.log(`open files (ulimit -n): soft ${limit.soft}, hard ${limit.hard}; need ≥ ${need} in this process and in the server (one fd per socket each side)`);
  if (limit.soft < need) {
    console.error(`ulimit -n is ${limit.soft}: too low for ${CROWD} sockets. Raise it first (\`ulimit -n ${Math.min(limit.hard, need * 2)}\`, hard limit ${limit.hard}) or lower BENCH_CROWD.`);
    process.exit(3);
  }
  await waitForQuiet(quietWaitMs());
  if (PROFILE) console.log('BENCH_PROFILE=1: CPU profiles run during the crowd phases, so their latency and CPU numbers are inflated');

  const counters = newProbeCounters();
  let server: ServerChild | null = null;
  let forgetServer = (): void => {};
  let inspector: Inspector | null = null;
  const clients: ProbeClient[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    server = await startServerChild({ inspect: INSPECT });
    // Known as soon as the child runs, so an abnormal exit of this process never leaves the server behind.
    forgetServer = killAtExit(server.pid);
    const serverLimit = openFilesLimit(server.pid);
    if (serverLimit.soft < need) throw new Error(`the server's open-files limit is ${serverLimit.soft}: too low for ${CROWD} sockets`);
    if (INSPECT) {
      if (!server.inspectorUrl) throw new Error('the server printed no inspector URL');
      inspector = await attachInspector(server.inspectorUrl);
      await installLoopMonitor(inspector);
    }
    const wsBase = `ws://127.0.0.1:${server.port}/cable`;
    console.log(`server: pid ${server.pid}, ${server.url}, RSS at start ${mb(rssKb(server.pid))}${INSPECT ? ', inspector attached (forced GC before memory readings, event-loop delay monitor)' : ''}`);

    let t = performance.now();
    const ids = await createSessions(server.url, TEST_KEYS.private, CROWD, { concurrency: 16 });
    const created = performance.now() - t;
    t = performance.now();
    await consentAll(server.url, ids, 16);
    console.log(`setup: ${CROWD} sessions created in ${(created / 1000).toFixed(1)} s, consented in ${((performance.now() - t) / 1000).toFixed(1)} s (through the API)`);

    const update = makeUpdater(server.port, agent, TEST_KEYS.private);
    /** This process and, once started, the crowd worker: "bench" CPU. */
    const benchPids: number[] = [process.pid];
    const pids = (): CpuPids => ({ server: server!.pid, bench: benchPids, postgres: postgresBackends(server!.databaseName) });
    const profile: Profiler = (what, fn) => profiled(PROFILE ? inspector : null, what, 'tessera-cable-crowd', fn);
    const phases: PhaseReport[] = [];
    const run = async (name: string, connections: number, pick: Picker, mode: Mode, rate: number, seconds: number, profiling = false): Promise<PhaseReport> => {
      const phase = () => pushPhase({ name, connections, pick, mode, send: mode === 'update' ? update : cableRequest, rate, seconds, cpuPids: pids(), inspector });
      const report = profiling ? await profile(name, phase) : await phase();
      if (seconds === PUSH_SECONDS) phases.push(report);
      return report;
    };

    // Baseline: the same paced request streams with one idle connection (after a short warm-up).
    const watched = new ProbeClient(ids[0]!, counters);
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
    const idleBefore = await measureIdle(SETTLE_MS, server.pid, pids().postgres, inspector, () => counters.pings);
    const before = await serverMemory(server.pid, inspector);
    console.log(`server before the crowd: ${fmtMemory(before)}`);

    // The crowd: PROBES sockets here (timed), the rest in the worker; both connect at once, sharing OPEN_CONCURRENCY.
    const workerIds = ids.slice(PROBES);
    const worker = workerIds.length > 0 ? await startCrowdWorker() : null;
    if (worker) benchPids.push(worker.pid);
    for (const id of ids.slice(0, PROBES)) clients.push(new ProbeClient(id, counters));
    const connected = await connectCrowd({ wsBase, probes: clients, workerIds, worker, openConcurrency: OPEN_CONCURRENCY, cpuPids: pids(), inspector, profile });
    const { live, ready } = connected;

    // The idle crowd: only the server's pings to every socket run now.
    const workerPings = async (): Promise<number> => (worker ? (await worker.ask<CrowdStats>({ type: 'stats' })).pings : 0);
    const idleCrowd = await profile('idle crowd (pings only)', async () => {
      const workerPingsBefore = await workerPings();
      const reading = await measureIdle(SETTLE_MS, server!.pid, pids().postgres, inspector, () => counters.pings);
      reading.pings += (await workerPings()) - workerPingsBefore;
      return reading;
    });
    const extraCpuMs = idleCrowd.serverCpuMs - idleBefore.serverCpuMs * (idleCrowd.wallMs / idleBefore.wallMs);
    console.log(`idle crowd (pings only) for ${(idleCrowd.wallMs / 1000).toFixed(1)} s: server CPU ${(idleCrowd.serverCpuMs / idleCrowd.wallMs).toFixed(3)} cores ` +
      `(no sockets: ${(idleBefore.serverCpuMs / idleBefore.wallMs).toFixed(3)}), ${idleCrowd.pings} pings received → ` +
      `${idleCrowd.pings ? ((1000 * extraCpuMs) / idleCrowd.pings).toFixed(1) : 'n/a'} µs server CPU per ping; other processes ${idleCrowd.otherCores.toFixed(2)} cores` +
      (idleCrowd.loop ? `; server event-loop lateness ${fmtLoop(idleCrowd.loop)} (no sockets: ${idleBefore.loop ? fmtLoop(idleBefore.loop) : 'n/a'})` : ''));
    const after = await serverMemory(server.pid, inspector);
    // The crowd starts from the post-GC state when the inspector is attached (the GC itself would skew a raw diff).
    const startKb = before.gc?.rssKb ?? before.rssKb;
    const perConnKb = (after.rssKb - startKb) / Math.max(1, ready);
    console.log(`server with the crowd: RSS ${mb(connected.rssJustAfterKb)} just after connecting; after ${SETTLE_MS} ms settle ${fmtMemory(after)}`);
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
    if (workerStats) {
      mergePingBursts(counters.pingBursts, workerStats.bursts);
      counters.pings += workerStats.pings;
      counters.stalePushes += workerStats.stale;
      counters.unexpectedCloses += workerStats.unexpectedCloses;
    }

    printCrowdReport({
      crowd: CROWD, rates: RATES, targets: TARGETS, phases, baselines, crowds, baselineRequest, crowdRequest, connected, counters,
      before, after, rssPerConnectionKb: perConnKb, serverLogs: server.logLines(),
    });
  } finally {
    for (const client of clients) client.close();
    agent.destroy();
    inspector?.close();
    await server?.stop();
    forgetServer();
  }
}

runBench('cable-crowd', 20, main);
