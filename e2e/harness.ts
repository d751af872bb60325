// Shared pieces of the browser tests: the server's API with the fixed test keys, outbox codes, screens by their
// `data-screen` hook, and small pages served from other local origins (an integrator, a return page).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { api, TEST_KEYS, type TestServer } from '../packages/server/src/testing/start-test-server.ts';

export { api, TEST_KEYS };

/** Generous but bounded: the machine has 2 cores and other test files run alongside. */
export const SCREEN_TIMEOUT_MS = 30_000;

/** Waits until the hosted page shows `screen` (its root carries `data-screen="<screen.show>"`). */
export async function waitForScreen(target: Page | Frame, screen: string, timeout = SCREEN_TIMEOUT_MS): Promise<void> {
  await target.waitForSelector(`[data-screen="${screen}"]`, { timeout });
}

/** The 6-digit code of the newest outbox message of `channel` for a session (waits for the delivery job). */
export async function outboxCode(t: TestServer, sessionId: string, channel: 'sms' | 'email', privateKey: string, notIn: string[] = []): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await api(t.url, 'GET', `/v1/outbox?session_id=${sessionId}&limit=20`, { key: privateKey });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const messages = (res.body.data as { id: string; channel: string; text: string }[]).filter((m) => m.channel === channel && !notIn.includes(m.id));
    const code = messages[0] ? /\b(\d{6})\b/.exec(messages[0].text)?.[1] : undefined;
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no ${channel} code in the outbox of ${sessionId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The session as the private API shows it. */
export async function sessionOf(t: TestServer, sessionId: string, privateKey: string): Promise<Record<string, any>> {
  const res = await api(t.url, 'GET', `/v1/sessions/${sessionId}`, { key: privateKey });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** The event types of a session, oldest first (`GET /v1/sessions/{id}/events`). */
export async function eventTypesOf(t: TestServer, sessionId: string, privateKey: string): Promise<string[]> {
  const res = await api(t.url, 'GET', `/v1/sessions/${sessionId}/events`, { key: privateKey });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.data as { event_type: string }[]).map((e) => e.event_type);
}

/** Creates a KYC level (private key) and answers its name. */
export async function createLevel(t: TestServer, body: Record<string, unknown>, privateKey: string = TEST_KEYS.private): Promise<string> {
  const res = await api(t.url, 'POST', '/v1/kyc_levels', { key: privateKey, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return body.name as string;
}

/** Creates a session with a public key, as an integrator's page or backend would. */
export async function createSession(t: TestServer, body: Record<string, unknown>, key: string = TEST_KEYS.public): Promise<{ session_id: string; url: string }> {
  const res = await api(t.url, 'POST', '/v1/sessions', { key, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

export interface LocalSite {
  url: string;
  /** Requests seen, path and query. */
  requests: string[];
  close(): Promise<void>;
}

/** A tiny node:http site on its own port (so a different origin than the server): `routes` maps a path to HTML. */
export async function serveSite(routes: Record<string, string | ((req: IncomingMessage) => string)>): Promise<LocalSite> {
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '/');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(typeof route === 'function' ? route(req) : route);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs `body`; if it throws, saves a screenshot of each page (to $TESSERA_E2E_SHOTS or <tmp>/tessera-e2e-failures)
 * and the screen each shows, and adds both to the error, so a CI failure says where the flow stood.
 */
export async function explainFailure<T>(name: string, pages: () => (Page | null | undefined)[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const dir = process.env.TESSERA_E2E_SHOTS ?? join(tmpdir(), 'tessera-e2e-failures');
    await mkdir(dir, { recursive: true }).catch(() => undefined);
    const notes: string[] = [];
    for (const [i, page] of pages().entries()) {
      if (!page || page.isClosed()) continue;
      const file = join(dir, `${name.replace(/[^a-z0-9-]+/gi, '-')}-${i}.png`);
      const shot = await page.screenshot({ path: file, fullPage: true, timeout: 5000 }).then(() => file, () => 'no screenshot');
      const screens = await Promise.all(page.frames().map((f) => f.$$eval('[data-screen]', (els) => els.map((e) => e.getAttribute('data-screen'))).catch(() => [])));
      notes.push(`page ${i} (${page.url()}): screens ${JSON.stringify(screens.flat())}, ${shot}`);
    }
    if (error instanceof Error) error.message += `\n${notes.join('\n')}`;
    throw error;
  }
}
