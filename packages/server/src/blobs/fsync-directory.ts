// A rename, link, create or unlink is only durable once the directory holding the entry is fsynced.
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** mkdir -p (mode 0700), then make each directory it created durable in its own parent. */
export async function mkdirDurable(path: string): Promise<void> {
  const firstCreated = await mkdir(path, { recursive: true, mode: 0o700 });
  if (firstCreated === undefined) return;
  const stopAt = dirname(firstCreated);
  for (let dir = path; dir !== stopAt && dir !== dirname(dir); dir = dirname(dir)) {
    await fsyncDirectory(dirname(dir));
  }
}
