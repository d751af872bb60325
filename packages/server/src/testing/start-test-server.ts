// Test-only: a whole Tessera server (real HTTP, cable, jobs) on a fresh database of the machine's PostgreSQL,
// a temp data dir and fixed keys. Server code never imports this file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer, type RunningServer } from '../main.ts';
import { freePort } from '../storage/free-port.ts';
import { createTestDatabase } from '../storage/test-databases.ts';

export const TEST_KEYS = {
  public: 'public_TestPublicKey0000000000000001',
  private: 'private_TestPrivateKey000000000000001',
  sandboxPublic: 'public_sandbox_TestSandboxPublic00000001',
  sandboxPrivate: 'private_sandbox_TestSandboxPrivate0000001',
} as const;

export interface TestServer {
  url: string;
  wsUrl: string;
  server: RunningServer;
  config: Config;
  databaseUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}, options: { cablePingIntervalMs?: number; databaseUrl?: string } = {}): Promise<TestServer> {
  const database = options.databaseUrl ? null : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-test-'));
  const port = await freePort();
  const config = readConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    TESSERA_PUBLIC_URL: `http://127.0.0.1:${port}`,
    TESSERA_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TESSERA_BUS: 'memory',
    TESSERA_PUBLIC_KEY: TEST_KEYS.public,
    TESSERA_PRIVATE_KEY: TEST_KEYS.private,
    TESSERA_SANDBOX_PUBLIC_KEY: TEST_KEYS.sandboxPublic,
    TESSERA_SANDBOX_PRIVATE_KEY: TEST_KEYS.sandboxPrivate,
    TESSERA_JOB_POLL_SECONDS: '1',
    LOG_LEVEL: process.env.TEST_LOG ?? 'silent',
    ...env,
  });
  const server = await startServer(config, {
    logger: createLogger(config.logLevel),
    ...(options.cablePingIntervalMs ? { cablePingIntervalMs: options.cablePingIntervalMs } : {}),
  });
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/cable`,
    server,
    config,
    databaseUrl,
    dataDir,
    close: () =>
      (closed ??= (async () => {
        await server.close();
        await database?.drop();
        await rm(dataDir, { recursive: true, force: true });
      })()),
  };
}

/** fetch with JSON in and out, for tests. */
export async function api(base: string, method: string, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  // eslint-style escape hatch for tests: bodies are asserted field by field
  return { status: response.status, headers: response.headers, body: json as any }; // any: test helper, callers assert shapes
}
