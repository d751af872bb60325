// The browser bundles (hosted page, launcher, headless driver, demo), built in memory with esbuild when the server
// starts: minified ES modules with code splitting, so the camera screens, the QR code and each language beyond
// English arrive only when a page needs them. bench/web-weight.ts measures the same build.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const WEB_SDK_SRC = fileURLToPath(new URL('../../../../web-sdk/src/', import.meta.url));

/** Entry points: the output name (served at /sdk/<name>.js or .css) → source file under packages/web-sdk/src. */
export const WEB_ENTRIES: { out: string; source: string }[] = [
  { out: 'hosted', source: 'hosted/hosted.ts' },
  { out: 'hosted', source: 'ui/styles.css' },
  { out: 'launcher', source: 'launcher/index.ts' },
  { out: 'driver', source: 'driver/index.ts' },
  { out: 'demo', source: 'demo/demo.ts' },
  { out: 'demo', source: 'demo/demo.css' },
];

export interface WebAsset {
  /** File name under /sdk/, e.g. `hosted.js`, `chunk-AB12CD34.js`. */
  name: string;
  body: Buffer;
  contentType: string;
  /** Strong ETag: a hash of the bytes. */
  etag: string;
  /** Content-hashed names (chunks) never change: cached forever. Entry names carry ?v=<hash> from our pages. */
  hashed: boolean;
  /** For entries: the static imports a browser fetches before running it (its initial chunks). */
  imports: string[];
}

export interface WebBundles {
  assets: Map<string, WebAsset>;
  /** `/sdk/<name>?v=<hash>`: the URL our own pages use, so entries can be cached for a year too. */
  urlOf(name: string): string;
  metafile: Metafile;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export async function buildWebBundles(options: { minify?: boolean } = {}): Promise<WebBundles> {
  const entries = WEB_ENTRIES.filter((e) => existsSync(WEB_SDK_SRC + e.source));
  const result = await build({
    entryPoints: entries.map((e) => ({ in: WEB_SDK_SRC + e.source, out: e.out })),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
    minify: options.minify ?? true,
    legalComments: 'none',
    charset: 'utf8',
    outdir: '/sdk',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const assets = new Map<string, WebAsset>();
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    const ext = name.slice(name.lastIndexOf('.'));
    const body = Buffer.from(file.contents);
    const meta = result.metafile.outputs[`/sdk/${name}`] ?? Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(`/${name}`))?.[1];
    assets.set(name, {
      name,
      body,
      contentType: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      hashed: name.startsWith('chunk-'),
      imports: (meta?.imports ?? []).filter((i) => i.kind === 'import-statement').map((i) => basename(i.path)),
    });
  }
  return {
    assets,
    urlOf(name) {
      const asset = assets.get(name);
      return asset ? `/sdk/${name}?v=${asset.etag.slice(1, 13)}` : `/sdk/${name}`;
    },
    metafile: result.metafile,
  };
}

/** An entry and every chunk it statically imports (transitively): what a browser loads before the page runs. */
export function initialFiles(bundles: WebBundles, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const next of bundles.assets.get(name)?.imports ?? []) visit(next);
  };
  visit(entry);
  return [...seen];
}

let shared: Promise<WebBundles> | null = null;
/** One build per process: the sources do not change while it runs, and tests start many servers. */
export function sharedWebBundles(): Promise<WebBundles> {
  shared ??= buildWebBundles().catch((error: unknown) => {
    shared = null;
    throw error;
  });
  return shared;
}
