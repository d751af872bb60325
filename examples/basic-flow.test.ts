// The README's promise, kept by a test: the example client drives a basic session to completed_screen.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer, TEST_KEYS, type TestServer } from '../packages/server/src/testing/start-test-server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

it('examples/basic-flow.mjs completes a basic session with a push for every step', async () => {
  const script = fileURLToPath(new URL('./basic-flow.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, TESSERA_URL: server.url, TESSERA_PUBLIC_KEY: TEST_KEYS.sandboxPublic },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, out);
  const screens = [...out.matchAll(/^push #(\d+): (\S+)/gm)].map((m) => [Number(m[1]), m[2]] as const);
  assert.deepEqual(
    screens.map(([, show]) => show).filter((s, i, all) => s !== all[i - 1]),
    ['consent_screen', 'scan_id_document_front_screen', 'waiting_for_previous_call_to_complete', 'liveness_screen', 'waiting_for_previous_call_to_complete', 'completed_screen'],
  );
  const sequences = screens.map(([n]) => n);
  assert.deepEqual(sequences, [...sequences].sort((a, b) => a - b), 'pushes arrive in sequence order');
  assert.equal(new Set(sequences).size, sequences.length, 'no push twice');
});
