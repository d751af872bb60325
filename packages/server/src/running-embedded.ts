// Finds the embedded PostgreSQL a running `tessera start` owns, so CLI commands can share it instead of
// trying to start a second server on the same data directory.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function runningEmbeddedUrl(dataDir: string): Promise<string | null> {
  try {
    const [pidLine, , , portLine] = (await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number(pidLine);
    const port = Number(portLine);
    if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
    process.kill(pid, 0); // throws if no such process: the pid file is stale
    const password = (await readFile(join(dataDir, 'postgres.password'), 'utf8')).trim();
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/tessera`;
  } catch {
    return null;
  }
}
