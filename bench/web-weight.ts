// Weight of the browser bundles, as the server builds and serves them (packages/server/src/http/web/build-web-bundles.ts):
// gzip (level 9) size of what each page loads before it runs, and of every chunk loaded later on demand.
// Budgets (issue 4): hosted page initial JS+CSS ≤ 120 KB gzip, headless driver ≤ 15 KB gzip. Exits 1 over budget.
//   node --import tsx bench/web-weight.ts
import { gzipSync } from 'node:zlib';
import { buildWebBundles, initialFiles, type WebBundles } from '../packages/server/src/http/web/build-web-bundles.ts';

const KB = 1024;
const BUDGETS = { hosted: 120 * KB, driver: 15 * KB };

const gz = (b: WebBundles, name: string): number => gzipSync(b.assets.get(name)!.body, { level: 9 }).length;
const raw = (b: WebBundles, name: string): number => b.assets.get(name)!.body.length;
const kb = (n: number): string => `${(n / KB).toFixed(1)} KB`;

/** The biggest sources in an output file, shortened to packages/web-sdk/src-relative paths (or the npm package). */
function contents(b: WebBundles, name: string, top = 3): string {
  const output = Object.entries(b.metafile.outputs).find(([path]) => path.endsWith(`/${name}`))?.[1];
  if (!output) return '';
  return Object.entries(output.inputs)
    .sort((a, c) => c[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, top)
    .map(([path]) => path.replace(/^.*node_modules\/([^/]+)\/.*$/, '$1').replace(/^.*web-sdk\/src\//, ''))
    .join(', ');
}

function dynamicImports(b: WebBundles, names: string[]): string[] {
  const found = new Set<string>();
  for (const name of names) {
    const output = Object.entries(b.metafile.outputs).find(([path]) => path.endsWith(`/${name}`))?.[1];
    for (const i of output?.imports ?? []) if (i.kind === 'dynamic-import') found.add(i.path.split('/').pop()!);
  }
  return [...found];
}

const started = performance.now();
const bundles = await buildWebBundles();
const buildMs = Math.round(performance.now() - started);

const group = (entry: string, css?: string) => {
  const files = [...initialFiles(bundles, `${entry}.js`), ...(css && bundles.assets.has(css) ? [css] : [])];
  return { files, gzip: files.reduce((sum, f) => sum + gz(bundles, f), 0), raw: files.reduce((sum, f) => sum + raw(bundles, f), 0) };
};

const hosted = group('hosted', 'hosted.css');
const driver = group('driver');
const launcher = bundles.assets.has('launcher.js') ? group('launcher') : null;
const demo = bundles.assets.has('demo.js') ? group('demo', 'demo.css') : null;

console.log(`esbuild: ${bundles.assets.size} files in ${buildMs} ms (minified ESM, code splitting)\n`);
console.log('initial load (entry + the chunks it imports statically)');
const rows: [string, { files: string[]; gzip: number; raw: number } | null, number | null][] = [
  ['hosted page JS+CSS', hosted, BUDGETS.hosted],
  ['headless driver', driver, BUDGETS.driver],
  ['launcher', launcher, null],
  ['demo page JS+CSS', demo, null],
];
for (const [label, g, budget] of rows) {
  if (!g) continue;
  const verdict = budget === null ? '' : g.gzip <= budget ? `  ≤ ${kb(budget)} ok` : `  > ${kb(budget)} OVER BUDGET`;
  console.log(`  ${label.padEnd(22)} ${kb(g.gzip).padStart(9)} gzip  ${kb(g.raw).padStart(9)} raw  (${g.files.length} files)${verdict}`);
}

console.log('\nloaded on demand by the hosted page');
const lazy = new Set<string>();
let frontier = dynamicImports(bundles, hosted.files);
while (frontier.length > 0) {
  const next: string[] = [];
  for (const name of frontier) {
    for (const file of initialFiles(bundles, name)) {
      if (hosted.files.includes(file) || lazy.has(file)) continue;
      lazy.add(file);
      next.push(file);
    }
  }
  frontier = dynamicImports(bundles, next);
}
for (const name of [...lazy].sort((a, c) => gz(bundles, c) - gz(bundles, a))) {
  console.log(`  ${name.padEnd(22)} ${kb(gz(bundles, name)).padStart(9)} gzip  ${contents(bundles, name)}`);
}

const over = hosted.gzip > BUDGETS.hosted || driver.gzip > BUDGETS.driver;
if (over) console.error('\nover budget');
process.exit(over ? 1 : 0);
