// Test-only: `tessera start` as a real child process (the same command an operator runs), for process-level fault
// tests: signals, kill -9, several processes on one database, the embedded default. Every child started here is
// tracked, and `killAll()` (call it in `after`) ends the ones still running, by their pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/storage/free-port.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TESSERA_BIN = join(REPO_ROOT, 'packages/server/bin/tessera.mjs');

/** Pinned keys (TESSERA_*_KEY), so tests need not parse the banner. */
export const KEYS = {
  public: 'public_ProcTestPublicKey00000001',
  private: 'private_ProcTestPrivateKey0000001',
  sandboxPublic: 'public_sandbox_ProcTestSandboxPub001',
  sandboxPrivate: 'private_sandbox_ProcTestSandboxPriv01',
} as const;

export const PINNED_KEY_ENV: Record<string, string> = {
  TESSERA_PUBLIC_KEY: KEYS.public,
  TESSERA_PRIVATE_KEY: KEYS.private,
  TESSERA_SANDBOX_PUBLIC_KEY: KEYS.sandboxPublic,
  TESSERA_SANDBOX_PRIVATE_KEY: KEYS.sandboxPrivate,
};

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  dataDir: string;
  /** ws://127.0.0.1:<port>/cable?session_id=<id> */
  cableUrl(sessionId: string): string;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited (it never rejects). */
  exited: Promise<Exit>;
  isRunning(): boolean;
  /** Resolves with the first match of `pattern` in stdout (past or future). */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends a signal (if still running) and resolves when the process has exited; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

export interface SpawnOptions {
  dataDir: string;
  /** Omit for the embedded default (no DATABASE_URL). */
  databaseUrl?: string;
  /** Extra env; wins over the defaults (LOG_LEVEL=warn, pinned keys, TESSERA_JOB_POLL_SECONDS=1). */
  env?: Record<string, string>;
  /** false: no TESSERA_*_KEY, the server generates and prints its keys. Default true. */
  pinKeys?: boolean;
  /** Bound on start-up until GET /ready answers 200. */
  readyTimeoutMs?: number;
  /** false: return as soon as the process is spawned (to signal it during start-up). Default true. */
  waitReady?: boolean;
}

const children = new Set<ChildProcess>();
// Last resort if a test process dies without its after(): no server outlives it.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** The parent's environment without any Tessera or database setting, so a developer's shell cannot leak in. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(TESSERA_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|PG)/.test(name)) continue;
    env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

function track(child: ChildProcess): { exited: Promise<Exit>; out: { stdout: string; stderr: string }; onStdout: Set<() => void> } {
  children.add(child);
  const out = { stdout: '', stderr: '' };
  const onStdout = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out.stdout += chunk;
    for (const wake of onStdout) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out.stderr += chunk));
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      for (const wake of onStdout) wake();
      resolve({ code, signal });
    });
  });
  return { exited, out, onStdout };
}

export async function mkTempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Spawns `tessera start` and waits until GET /ready answers 200. Retries on another port if the one picked was taken. */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt += 1) {
    const server = await spawnOnce(options, await freePort());
    if (options.waitReady === false) return server;
    try {
      await waitReady(server, options.readyTimeoutMs ?? 60_000);
      return server;
    } catch (error) {
      await server.stop('SIGKILL');
      if (attempt < 3 && /EADDRINUSE/.test(server.stderr() + server.stdout())) continue;
      throw error;
    }
  }
}

async function spawnOnce(options: SpawnOptions, port: number): Promise<ServerProcess> {
  const env = cleanEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    TESSERA_PUBLIC_URL: `http://127.0.0.1:${port}`,
    TESSERA_DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: 'warn',
    TESSERA_JOB_POLL_SECONDS: '1',
    ...(options.pinKeys === false ? {} : PINNED_KEY_ENV),
    ...options.env,
  });
  const child = spawn(process.execPath, [TESSERA_BIN, 'start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const { exited, out, onStdout } = track(child);
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const server: ServerProcess = {
    child,
    pid: child.pid ?? -1,
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir: options.dataDir,
    cableUrl: (sessionId) => `ws://127.0.0.1:${port}/cable?session_id=${sessionId}`,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    isRunning,
    waitForStdout(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no ${pattern} in stdout within ${timeoutMs} ms; stderr: ${out.stderr.slice(-2000)}`)), timeoutMs);
        const check = (): void => {
          const match = out.stdout.match(pattern);
          if (match) finish(null, match);
          else if (!isRunning()) finish(new Error(`exited before ${pattern} appeared; stderr: ${out.stderr.slice(-2000)}`));
        };
        const finish = (error: Error | null, match?: RegExpMatchArray): void => {
          clearTimeout(timer);
          onStdout.delete(check);
          if (error) reject(error);
          else resolve(match!);
        };
        onStdout.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (!isRunning()) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  return server;
}

async function waitReady(server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!server.isRunning()) {
      const { code, signal } = await server.exited;
      throw new Error(`tessera start exited (code ${code}, signal ${signal}) before it was ready:\n${server.stderr().slice(-4000)}`);
    }
    const status = await fetch(`${server.url}/ready`, { signal: AbortSignal.timeout(1000) }).then(
      async (response) => (await response.arrayBuffer(), response.status),
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`GET /ready did not answer 200 within ${timeoutMs} ms (last: ${status}); stderr:\n${server.stderr().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs a one-shot `tessera <args>` (sessions create, keys create, …) to completion, bounded by `timeoutMs`. */
export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 20_000): Promise<CliResult> {
  const child = spawn(process.execPath, [TESSERA_BIN, ...args], { cwd: REPO_ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const { exited, out } = track(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const exit = await exited;
    return { ...exit, stdout: out.stdout, stderr: out.stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILLs every child this module started that is still running, and waits for them. For `after`. */
export async function killAll(): Promise<void> {
  const running = [...children];
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
