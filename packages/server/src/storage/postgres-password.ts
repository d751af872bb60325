// The embedded cluster's superuser password: generated once, kept beside the cluster so restarts can log in.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

const isErrno = (error: unknown, code: string): boolean =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === code;

async function readPassword(path: string): Promise<string | undefined> {
  try {
    const stored = (await readFile(path, 'utf8')).trim();
    if (stored === '') throw new Error(`${path} is empty`);
    return stored;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** Reads the password at path, or creates it (mode 0600) when the cluster is new. */
export async function postgresPassword(path: string, clusterExists: boolean): Promise<string> {
  const stored = await readPassword(path);
  if (stored !== undefined) return stored;
  if (clusterExists) {
    // A new password cannot log in to a cluster initialised with the old one.
    throw new Error(`${path} is missing but the cluster beside it exists; restore the file or remove the cluster`);
  }
  const password = randomBytes(24).toString('base64url'); // URL-safe, so it goes into the connection URL as is
  try {
    // 'wx' fails if another process wrote the file meanwhile; its password then wins.
    await writeFile(path, `${password}\n`, { mode: 0o600, flag: 'wx' });
    return password;
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    const winner = await readPassword(path);
    if (winner === undefined) throw new Error(`${path} appeared and vanished while starting PostgreSQL`);
    return winner;
  }
}
