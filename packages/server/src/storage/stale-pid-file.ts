// PostgreSQL ignores a postmaster.pid whose process is gone, but after a reboot or container restart that pid may
// belong to an unrelated live process, and then it refuses to start ("lock file already exists"). This removes the
// file only when that process is provably not a postgres; a real server on the data directory is never touched.
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

export async function removeReusedPidFile(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  const firstLine = await readFile(pidFile, 'utf8').then((text) => text.split('\n')[0] ?? '', () => '');
  const pid = Number(firstLine);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) return;
  // /proc is Linux-only; elsewhere the process cannot be identified, so the file stays and PostgreSQL decides.
  const name = await readFile(`/proc/${pid}/comm`, 'utf8').then((text) => text.trim(), () => undefined);
  if (name === undefined || name === 'postgres') return;
  await unlink(pidFile).catch(() => {});
}
