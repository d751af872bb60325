// A real `tessera start` in a child process (so its memory and CPU can be measured alone), on a fresh database of the
// machine's PostgreSQL, with the test keys pinned and rate limits out of the way.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../packages/server/src/storage/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../../packages/server/src/storage/test-databases.ts';
import { TEST_KEYS } from '../../packages/server/src/testing/start-test-server.ts';
import { sleep } from './stats.ts';
import { UNLIMITED_RATE_ENV } from './tessera-api.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerChild {
  pid: number;
  url: string;
  port: number;
  database: TestDatabase;
  databaseName: string;
  /** Inspector websocket URL when started with `inspect: true`. */
  inspectorUrl: string | null;
  /** Log lines the server wrote (warn and above at LOG_LEVEL=warn), for the report. */
  logLines(): string[];
  stop(): Promise<void>;
}

export async function startServerChild(options: { env?: Record<string, string>; nodeArgs?: string[]; inspect?: boolean } = {}): Promise<ServerChild> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
  let child: ChildProcess | null = null;
  const lines: string[] = [];
  const cleanup = async (): Promise<void> => {
    await database.drop().catch((error: unknown) => console.error('dropping the bench database failed:', error));
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [...(options.inspect ? ['--inspect=127.0.0.1:0'] : []), ...(options.nodeArgs ?? []), 'packages/server/bin/tessera.mjs', 'start'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        TESSERA_PUBLIC_URL: url,
        TESSERA_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        TESSERA_BUS: 'memory',
        TESSERA_PUBLIC_KEY: TEST_KEYS.public,
        TESSERA_PRIVATE_KEY: TEST_KEYS.private,
        TESSERA_SANDBOX_PUBLIC_KEY: TEST_KEYS.sandboxPublic,
        TESSERA_SANDBOX_PRIVATE_KEY: TEST_KEYS.sandboxPrivate,
        LOG_LEVEL: 'warn',
        ...UNLIMITED_RATE_ENV,
        ...options.env,
      },
    });
    const running = child;
    let inspectorUrl: string | null = null;
    const collect = (stream: NodeJS.ReadableStream | null): void => {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) {
          const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(line);
          if (inspector) inspectorUrl = inspector[1]!;
          // The start banner goes to stdout too; only JSON log lines are kept.
          else if (line.startsWith('{') && lines.length < 10_000) lines.push(line);
        }
      });
    };
    collect(running.stdout);
    collect(running.stderr);
    const exited = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + 60_000;
    for (;;) {
      if (running.exitCode !== null) throw new Error(`tessera start exited with ${running.exitCode}: ${lines.slice(-5).join('\n')}`);
      const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error('tessera start did not answer /health within 60 s');
      await sleep(200);
    }
    return {
      pid: running.pid ?? -1,
      url,
      port,
      database,
      databaseName: new URL(database.url).pathname.slice(1),
      get inspectorUrl() {
        return inspectorUrl;
      },
      logLines: () => lines,
      async stop() {
        if (running.exitCode === null && running.signalCode === null) {
          running.kill('SIGTERM');
          const timer = setTimeout(() => running.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
        }
        await cleanup();
      },
    };
  } catch (error) {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await cleanup();
    throw error;
  }
}
