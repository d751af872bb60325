// Benchmark: REST `GET /v1/sessions/{id}/preflight` on a real Tessera server (in this process, machine PostgreSQL)
// against a bare Fastify route answering a constant JSON body of the same bytes (also in this process, same logger
// settings), loaded from a separate child process. Run: node --import tsx bench/preflight.ts
// Knobs (env): BENCH_SESSIONS=100 BENCH_COUNT=20000 BENCH_WARMUP=2000 BENCH_CONNECTIONS=32 BENCH_ROUNDS=4
//              BENCH_QUIET_WAIT_S=120 (wait up to this long for other processes to go quiet before starting)
import { cpus } from 'node:os';
import Fastify from 'fastify';
import { createLogger } from '../packages/server/src/logger.ts';
import { startTestServer, TEST_KEYS, type TestServer } from '../packages/server/src/testing/start-test-server.ts';
import { startLoadGenerator, type LoadGenerator } from './lib/load.ts';
import type { LoadResult } from './lib/load-worker.ts';
import { watchSplitCpu } from './lib/cpu-split.ts';
import { envInt, quietWaitMs } from './lib/env-int.ts';
import { postgresBackends, waitForQuiet } from './lib/proc.ts';
import { runBench } from './lib/run-bench.ts';
import { fmtSummary, summarize } from './lib/stats.ts';
import { consentAll, createSessions, getPreflight, UNLIMITED_RATE_ENV } from './lib/tessera-api.ts';

const SESSIONS = envInt('BENCH_SESSIONS', 100);
const COUNT = envInt('BENCH_COUNT', 20_000);
const WARMUP = envInt('BENCH_WARMUP', 2_000);
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 32);
const ROUNDS = envInt('BENCH_ROUNDS', 4);
const RUN_TIMEOUT_MS = 180_000;

interface Target {
  name: string;
  port: number;
  paths: string[];
  results: LoadResult[];
  /** CPU of this process (both servers live here, only one is loaded at a time), of the generator, and of others. */
  serverCpuMs: number;
  generatorCpuMs: number;
  /** CPU of the PostgreSQL backends of Tessera's database (zero for the bare route, which uses none). */
  postgresCpuMs: number;
  foreignCoreMs: number;
}

async function main(): Promise<void> {
  console.log(`# preflight: ${COUNT} requests per target (${ROUNDS} alternating rounds) after ${WARMUP} warm-up, ` +
    `${CONNECTIONS} keep-alive connections, ${SESSIONS} sessions round-robin; node ${process.version}, ${cpus().length} cores`);
  await waitForQuiet(quietWaitMs());
  let tessera: TestServer | null = null;
  let bare: Awaited<ReturnType<typeof startBare>> | null = null;
  let generator: LoadGenerator | null = null;
  try {
    tessera = await startTestServer({ LOG_LEVEL: 'silent', ...UNLIMITED_RATE_ENV });
    const ids = await createSessions(tessera.url, TEST_KEYS.private, SESSIONS);
    await consentAll(tessera.url, ids);
    const sample = await getPreflight(tessera.url, ids[0]!);
    bare = await startBare(sample);
    generator = await startLoadGenerator();

    const databaseName = new URL(tessera.databaseUrl).pathname.slice(1);
    const paths = ids.map((id) => `/v1/sessions/${id}/preflight`);
    const targets: Target[] = [
      { name: 'bare fastify', port: bare.port, paths, results: [], serverCpuMs: 0, generatorCpuMs: 0, postgresCpuMs: 0, foreignCoreMs: 0 },
      { name: 'tessera', port: tessera.server.port, paths, results: [], serverCpuMs: 0, generatorCpuMs: 0, postgresCpuMs: 0, foreignCoreMs: 0 },
    ];
    for (const target of targets) {
      const warm = await generator.run({ port: target.port, paths: target.paths, count: WARMUP, connections: CONNECTIONS, timeoutMs: RUN_TIMEOUT_MS });
      check(target.name, warm);
      const body = warm.firstBody;
      console.log(`  ${target.name}: warm-up done, body ${Buffer.byteLength(body)} bytes, statuses ${JSON.stringify(warm.statuses)}`);
    }
    const perRound = Math.ceil(COUNT / ROUNDS);
    for (let round = 0; round < ROUNDS; round += 1) {
      // ABBA order so neither target always runs first.
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const watch = watchSplitCpu({ server: process.pid, bench: [generator.pid], postgres: postgresBackends(databaseName) });
        const result = await generator.run({ port: target.port, paths: target.paths, count: perRound, connections: CONNECTIONS, timeoutMs: RUN_TIMEOUT_MS });
        const cpu = watch();
        target.serverCpuMs += cpu.serverMs;
        target.generatorCpuMs += cpu.benchMs;
        target.postgresCpuMs += cpu.postgresMs;
        target.foreignCoreMs += cpu.foreignCores * cpu.wallMs;
        check(target.name, result);
        target.results.push(result);
        console.log(`  round ${round + 1} ${target.name.padEnd(12)} ${(result.latencies.length / (result.elapsedMs / 1000)).toFixed(0).padStart(6)} req/s` +
          ` · other processes used ${cpu.foreignCores.toFixed(2)} cores meanwhile`);
      }
    }

    const report = targets.map((target) => {
      const latencies = target.results.flatMap((r) => r.latencies);
      const seconds = target.results.reduce((sum, r) => sum + r.elapsedMs, 0) / 1000;
      return {
        name: target.name,
        requests: latencies.length,
        rps: latencies.length / seconds,
        latency: summarize(latencies),
        serverCpuUsPerRequest: (target.serverCpuMs * 1000) / latencies.length,
        generatorCpuUsPerRequest: (target.generatorCpuMs * 1000) / latencies.length,
        postgresCpuUsPerRequest: (target.postgresCpuMs * 1000) / latencies.length,
        foreignCores: target.foreignCoreMs / (seconds * 1000),
      };
    });
    const [base, ours] = report as [typeof report[0], typeof report[0]];
    console.log('');
    for (const r of report) {
      console.log(`${r.name.padEnd(13)} ${r.rps.toFixed(0).padStart(6)} req/s · ${fmtSummary(r.latency)} · CPU/req: server ${r.serverCpuUsPerRequest.toFixed(0)} µs, its postgres ${r.postgresCpuUsPerRequest.toFixed(0)} µs, generator ${r.generatorCpuUsPerRequest.toFixed(0)} µs · other processes ${r.foreignCores.toFixed(2)} cores`);
    }
    console.log(`ratio tessera/bare: ${(ours.rps / base.rps).toFixed(3)} (throughput) · p50 ${(ours.latency.p50 / base.latency.p50).toFixed(2)}× · p99 ${(ours.latency.p99 / base.latency.p99).toFixed(2)}× (latency)`);
    console.log(`RESULT ${JSON.stringify({ bench: 'preflight', baseline: base, tessera: ours, ratio: ours.rps / base.rps })}`);
  } finally {
    await generator?.close();
    await bare?.close();
    await tessera?.close();
  }
}

function check(name: string, result: LoadResult): void {
  if (result.error) throw new Error(`${name}: ${result.error}`);
  const bad = Object.entries(result.statuses).filter(([status]) => status !== '200');
  if (bad.length > 0) throw new Error(`${name}: non-200 answers ${JSON.stringify(result.statuses)}; first body: ${result.firstBody.slice(0, 200)}`);
}

/** The baseline: the same route shape on a fresh Fastify with Tessera's logger at the same (silent) level. */
async function startBare(body: unknown) {
  const app = Fastify({ loggerInstance: createLogger('silent') });
  app.get('/v1/sessions/:session_id/preflight', async () => body);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => app.close() };
}

runBench('preflight', 15, main);
