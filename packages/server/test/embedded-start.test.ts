// `tessera start` with nothing configured: the embedded PostgreSQL under the data dir, keys printed once, CLI
// commands attaching to the running cluster, and a SIGTERM that leaves no PostgreSQL behind.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, waitUntil } from './client.ts';
import { killAll, mkTempDir, runCli, spawnServer, type ServerProcess } from './spawn-server.ts';

type Keys = Record<'live public' | 'live private' | 'sandbox public' | 'sandbox private', string>;

function parseKeys(stdout: string): Partial<Keys> {
  const keys: Record<string, string> = {};
  for (const match of stdout.matchAll(/^\s+(live|sandbox) (public|private)\s+(\S+)\s*$/gm)) keys[`${match[1]} ${match[2]}`] = match[3]!;
  return keys;
}

const pidFile = (dataDir: string) => join(dataDir, 'postgres', 'postmaster.pid');
const postmasterPid = async (dataDir: string): Promise<number | null> =>
  readFile(pidFile(dataDir), 'utf8').then((text) => Number(text.split('\n')[0]), () => null);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes whose command line names `path` (the postmaster runs with `-D <dataDir>/postgres`). */
async function processesUsing(path: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(path)) found.push(`${entry}: ${cmdline.replaceAll('\0', ' ').trim()}`);
  }
  return found;
}

describe('embedded default start', () => {
  let dataDir: Awaited<ReturnType<typeof mkTempDir>>;
  let env: Record<string, string>;

  before(async () => {
    dataDir = await mkTempDir('tessera-embedded-');
    env = { TESSERA_DATA_DIR: dataDir.path, LOG_LEVEL: 'warn' };
  });

  after(async () => {
    await killAll();
    // A tessera process that was SIGKILLed above cannot stop its PostgreSQL: stop it here, by the pid it wrote.
    const pid = await postmasterPid(dataDir.path);
    if (pid && alive(pid)) {
      process.kill(pid, 'SIGQUIT');
      await waitUntil('the orphaned postmaster to exit', () => (alive(pid) ? undefined : true), 10_000).catch(() => process.kill(pid, 'SIGKILL'));
    }
    await dataDir?.remove();
  });

  it('prints its keys once, serves them, shares its database with the CLI, and stops PostgreSQL on SIGTERM', async (t) => {
    const times: string[] = [];
    let mark = Date.now();
    const lap = (what: string) => (times.push(`${what} ${Date.now() - mark} ms`), (mark = Date.now()));

    // First start: initdb, keys generated and printed.
    const first = await spawnServer({ dataDir: dataDir.path, pinKeys: false, readyTimeoutMs: 60_000 });
    lap('first start (initdb)');
    const keys = parseKeys(first.stdout());
    assert.deepEqual(Object.keys(keys).sort(), ['live private', 'live public', 'sandbox private', 'sandbox public'], first.stdout());
    assert.match(keys['sandbox public']!, /^public_sandbox_[0-9A-Za-z]{16,}$/);
    assert.match(keys['sandbox private']!, /^private_sandbox_[0-9A-Za-z]{16,}$/);
    const created = await api(first.url, 'POST', '/v1/sessions', { key: keys['sandbox public']!, body: { kyc_level: 'basic' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const restId = created.body.session_id as string;

    // CLI commands while the server runs: they attach to its PostgreSQL (no second cluster on the same directory).
    const postmaster = await postmasterPid(dataDir.path);
    assert.ok(postmaster && alive(postmaster), 'postmaster.pid names a live process');
    const cliCreate = await runCli(['sessions', 'create', '--level', 'basic', '--sandbox'], env);
    assert.equal(cliCreate.code, 0, cliCreate.stderr);
    const cliSession = JSON.parse(cliCreate.stdout) as { session_id: string; url: string; websocket_url: string };
    assert.match(cliSession.session_id, /^[0-9A-Za-z]{24}$/);
    const cliShow = await runCli(['sessions', 'show', restId], env);
    assert.equal(cliShow.code, 0, cliShow.stderr);
    const shown = JSON.parse(cliShow.stdout) as { session_id: string; status: string };
    assert.deepEqual([shown.session_id, shown.status], [restId, 'created']);
    assert.equal(await postmasterPid(dataDir.path), postmaster, 'the CLI started its own PostgreSQL');
    // …and what the CLI wrote is what the server reads.
    const viaServer = await api(first.url, 'GET', `/v1/sessions/${cliSession.session_id}`, { key: keys['sandbox private']! });
    assert.equal(viaServer.status, 200, JSON.stringify(viaServer.body));
    lap('REST + CLI');

    // SIGTERM: exit 0 with the embedded PostgreSQL stopped.
    assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null }, first.stderr());
    lap('SIGTERM → exit');
    assert.equal(await postmasterPid(dataDir.path), null, 'postmaster.pid is still there');
    assert.equal(alive(postmaster), false, `postmaster ${postmaster} is still running`);
    assert.deepEqual(await processesUsing(join(dataDir.path, 'postgres')), []);

    // Second start on the same directory: no new keys, the old ones still work, the data is there.
    const second: ServerProcess = await spawnServer({ dataDir: dataDir.path, pinKeys: false, readyTimeoutMs: 60_000 });
    lap('second start');
    assert.deepEqual(parseKeys(second.stdout()), {}, second.stdout());
    assert.doesNotMatch(second.stdout(), /New API keys/);
    const again = await api(second.url, 'POST', '/v1/sessions', { key: keys['sandbox public']!, body: { kyc_level: 'basic' } });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    for (const id of [restId, cliSession.session_id]) {
      const view = await api(second.url, 'GET', `/v1/sessions/${id}`, { key: keys['sandbox private']! });
      assert.equal(view.status, 200, JSON.stringify(view.body));
    }
    const live = await api(second.url, 'POST', '/v1/sessions', { key: keys['live public']!, body: { kyc_level: 'basic' } });
    assert.equal(live.status, 201, JSON.stringify(live.body));

    assert.deepEqual(await second.stop('SIGTERM'), { code: 0, signal: null }, second.stderr());
    lap('REST + SIGTERM → exit');
    assert.equal(await postmasterPid(dataDir.path), null);
    assert.deepEqual(await processesUsing(join(dataDir.path, 'postgres')), []);
    t.diagnostic(times.join('; '));
  });

  // Regression: `tessera start` installed its signal handlers only once the server was up. A SIGTERM in between (a pod
  // stopped while booting, Ctrl-C during initdb) killed it by Node's default action, and the embedded PostgreSQL kept
  // running without its owner, holding the data directory.
  it('SIGTERM during start-up exits cleanly and leaves no PostgreSQL behind', async (t) => {
    const dir = await mkTempDir('tessera-embedded-early-');
    try {
      const booting = await spawnServer({ dataDir: dir.path, pinKeys: false, waitReady: false });
      // A positive pid: the real postmaster (initdb's single-user bootstrap writes a negative one).
      const pid = await waitUntil('the embedded postmaster', async () => {
        const found = await postmasterPid(dir.path);
        return found !== null && found > 0 ? found : undefined;
      }, 60_000, 10);
      const early = booting.isRunning() && !(await fetch(`${booting.url}/ready`, { signal: AbortSignal.timeout(500) }).then(() => true, () => false));
      booting.child.kill('SIGTERM');
      const exit = await booting.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, booting.stderr());
      assert.equal(alive(pid), false, `postmaster ${pid} outlived tessera`);
      assert.equal(await postmasterPid(dir.path), null);
      // The keys of that first start were printed even though it stopped at once (they are never shown again).
      assert.equal(Object.keys(parseKeys(booting.stdout())).length, 4, booting.stdout());
      t.diagnostic(early ? 'signalled before the server listened' : 'the server was already listening when signalled');
    } finally {
      const pid = await postmasterPid(dir.path);
      if (pid && pid > 0 && alive(pid)) {
        process.kill(pid, 'SIGQUIT');
        await waitUntil('the orphaned postmaster to exit', () => (alive(pid) ? undefined : true), 10_000).catch(() => process.kill(pid, 'SIGKILL'));
      }
      await dir.remove();
    }
  });
});
