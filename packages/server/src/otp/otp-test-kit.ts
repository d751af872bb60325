// Test-only helpers for the OTP tests: contact sessions, the four endpoints, the outbox, a movable clock and the pushes
// a session got. Server code never imports this file.
import assert from 'node:assert/strict';
import type { Preflight } from '@tessera/protocol';
import type { SessionChange } from '../bus/bus.ts';
import { api, TEST_KEYS, type TestServer } from '../testing/start-test-server.ts';

export type Channel = 'phone' | 'email';
const path = (channel: Channel) => (channel === 'phone' ? 'phone_verification' : 'email_verification');

export function otpKit(t: TestServer) {
  const call = (method: string, p: string, options: Parameters<typeof api>[3] = {}) => api(t.url, method, p, options);
  const deps = t.server.deps;

  /** A consented session on the built-in `contact` level (phone, then e-mail). */
  async function contactSession(options: { sandbox?: boolean; body?: Record<string, unknown> } = {}): Promise<string> {
    const created = await call('POST', '/v1/sessions', { key: options.sandbox ? TEST_KEYS.sandboxPublic : TEST_KEYS.public, body: { kyc_level: 'contact', ...options.body } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.session_id as string;
    assert.equal((await call('PATCH', `/v1/sessions/${id}/consent?gives_consent=true`)).status, 200);
    return id;
  }

  const send = (id: string, channel: Channel, body: Record<string, unknown>) => call('POST', `/v1/sessions/${id}/${path(channel)}`, { body });
  const check = (id: string, channel: Channel, code: string, extra: Record<string, unknown> = {}) =>
    call('PATCH', `/v1/sessions/${id}/${path(channel)}`, { body: { code, ...extra } });

  async function preflight(id: string): Promise<Preflight> {
    const res = await call('GET', `/v1/sessions/${id}/preflight`);
    assert.equal(res.status, 200);
    return res.body as Preflight;
  }

  async function outbox(sandbox = false, sessionId?: string) {
    const res = await call('GET', `/v1/outbox?limit=100${sessionId ? `&session_id=${sessionId}` : ''}`, { key: sandbox ? TEST_KEYS.sandboxPrivate : TEST_KEYS.private });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data as { id: string; channel: 'sms' | 'email'; to: string; subject: string | null; text: string; session_id: string; created_at: string }[];
  }

  /** The code of the n-th (1-based, oldest first) outbox message of a session and channel, waiting for its delivery. */
  async function codeFromOutbox(id: string, channel: Channel, n = 1, sandbox = false): Promise<string> {
    const kind = channel === 'phone' ? 'sms' : 'email';
    const deadline = Date.now() + 10_000;
    for (;;) {
      const messages = (await outbox(sandbox, id)).filter((m) => m.channel === kind).reverse();
      const message = messages[n - 1];
      if (message) return /\b(\d{6})\b/.exec(message.text)![1]!;
      if (Date.now() > deadline) throw new Error(`no ${n}. ${kind} message in the outbox for ${id}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Moves the server's clock by ms (it only ever moves forward from real time, so jobs on the real clock still agree). */
  let offset = 0;
  const realNow = deps.now;
  const clock = {
    advance(ms: number) {
      offset += ms;
      deps.now = () => new Date(Date.now() + offset);
    },
    reset() {
      offset = 0;
      deps.now = realNow;
    },
  };

  /** Records the pushes (bus publications) of one session. */
  function watch(id: string): { pushes: SessionChange[]; stop(): void } {
    const pushes: SessionChange[] = [];
    const stop = deps.bus.subscribe(id, (change) => pushes.push(change));
    return { pushes, stop };
  }

  return { call, deps, contactSession, send, check, preflight, outbox, codeFromOutbox, clock, watch };
}

/** Waits until fn returns something truthy (polling every 25 ms), or fails after timeoutMs. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
