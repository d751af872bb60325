// Runs every benchmark under bench/ (top-level *.ts files, in name order), one after another, each in its own
// process so one's servers and sockets cannot disturb the next. Extra args narrow the set by substring:
//   npm run bench                    all of them
//   npm run bench -- preflight       only bench/preflight.ts
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort()
  .map((name) => join('bench', name));
if (files.length === 0) {
  console.error('no benchmark matched');
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  // Each benchmark bounds its own run time; this is a last resort so `npm run bench` always ends.
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', timeout: 30 * 60_000, killSignal: 'SIGTERM' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${file} failed (${result.error ? result.error.message : `exit ${result.status ?? result.signal}`})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
