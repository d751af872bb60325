// Test-only: a real S3 REST API (s3rver) on 127.0.0.1, a free port and a temp directory, with one bucket.
// It runs in a child process because s3rver's ListObjectsV2 continuation tokens use DES, which Node 17+ only has
// behind --openssl-legacy-provider; the flag stays out of the test process itself. Server code never imports this.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** s3rver's fixed account: it checks signatures, so these must be what the client signs with. */
export const TEST_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** s3rver's directory: objects are files `<bucket>/<key>._S3rver_object`. */
  dir: string;
  stop(): Promise<void>;
}

// CommonJS, run with `node -e`: prints the bound port once the bucket exists; exits when the test process goes away.
const SERVER_SCRIPT = `
const S3rver = require(process.env.S3RVER_PATH);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory: process.env.S3RVER_DIR, silent: true,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET, configs: [] }] });
server.run().then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'));
process.stdin.on('end', () => process.exit(0)).resume();
`;

export async function startTestS3(bucket = 'tessera-test'): Promise<TestS3> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-s3-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT], {
    env: { ...process.env, S3RVER_PATH: createRequire(import.meta.url).resolve('s3rver'), S3RVER_DIR: dir, S3RVER_BUCKET: bucket },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited before listening (${code})`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    dir,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
