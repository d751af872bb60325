// Test-only helpers for the HTTP tests (src/http/*.test.ts): exact shape checks, the §3 error assertion,
// captures made with sharp, and the few REST moves every flow test repeats. Server code never imports this file.
import assert from 'node:assert/strict';
import { after } from 'node:test';
import sharp from 'sharp';
import { errorBody, preflight as preflightSchema, sessionCreated, type ErrorType, type Preflight, type ScreenShow } from '@tessera/protocol';
import type { z } from 'zod';
import { api, startTestServer, TEST_KEYS, type TestServer } from './start-test-server.ts';

export type ApiResponse = Awaited<ReturnType<typeof api>>;

/** Parses with the protocol schema and checks nothing was dropped: zod strips unknown keys, so an extra field shows up as a diff. */
export function exact<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  assert.ok(result.success, `shape mismatch: ${result.success ? '' : JSON.stringify(result.error.issues.slice(0, 3))}\n${JSON.stringify(value).slice(0, 500)}`);
  assert.deepEqual(result.data, value, 'the body has fields the protocol schema does not name');
  return result.data;
}

/** Status and the exact §3 body: type, a message, a request id that matches the x-request-id header. */
export function assertError(res: ApiResponse, status: number, type: ErrorType, message?: RegExp) {
  assert.equal(res.status, status, `expected ${status} ${type}, got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  const { error } = exact(errorBody, res.body);
  assert.equal(error.type, type);
  assert.ok(error.message.length > 0);
  if (message) assert.match(error.message, message);
  assert.match(error.request_id, /^req_[0-9A-Za-z]{20}$/);
  assert.equal(res.headers.get('x-request-id'), error.request_id);
  assert.doesNotMatch(JSON.stringify(res.body), /\bat .*\.(ts|js):\d+/, 'no stack trace');
  return error;
}

export function assertStatus(res: ApiResponse, status: number) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** fetch with any body (multipart, raw bytes, broken JSON), answered in the shape of api(). */
export async function send(base: string, method: string, path: string, init: RequestInit = {}): Promise<ApiResponse> {
  const response = await fetch(base + path, { method, ...init });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, headers: response.headers, body: body as any }; // any: as api(), callers assert shapes
}

export const b64 = (bytes: Buffer): string => bytes.toString('base64');
/** A Blob for FormData (multipart uploads, built by hand as a browser would). */
export const blob = (bytes: Buffer, type: string): Blob => new Blob([new Uint8Array(bytes)], { type });

const solid = (width: number, height: number, shade: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: shade, g: 255 - shade, b: 90 } } });

/** Encoded once per shape: the tests upload the same few images many times, and CPU is shared with the server. */
const made = new Map<string, Promise<Buffer>>();
const once = (key: string, make: () => Promise<Buffer>): Promise<Buffer> => made.get(key) ?? made.set(key, make()).get(key)!;

export const jpeg = (width = 320, height = 200, shade = 120): Promise<Buffer> =>
  once(`jpeg ${width} ${height} ${shade}`, () => solid(width, height, shade).jpeg().toBuffer());
export const png = (width = 320, height = 200): Promise<Buffer> => once(`png ${width} ${height}`, () => solid(width, height, 40).png().toBuffer());
export const frames = (count = 8): Promise<Buffer[]> => Promise.all(Array.from({ length: count }, (_, i) => jpeg(64, 64, 20 * i)));

export function sessionApi(t: TestServer) {
  const call = (method: string, path: string, options: Parameters<typeof api>[3] = {}) => api(t.url, method, path, options);

  async function create(body: Record<string, unknown> = {}, key: string = TEST_KEYS.public): Promise<string> {
    const res = await call('POST', '/v1/sessions', { key, body: { kyc_level: 'basic', ...body } });
    return exact(sessionCreated, assertStatus(res, 201)).session_id;
  }

  async function preflight(id: string): Promise<Preflight> {
    return exact(preflightSchema, assertStatus(await call('GET', `/v1/sessions/${id}/preflight`), 200));
  }

  /** Polls the REST preflight (the client fallback) until the screen is `screen`; bounded, 25 ms apart. */
  async function waitForScreen(id: string, screen: ScreenShow, timeoutMs = 5000): Promise<Preflight> {
    const deadline = Date.now() + timeoutMs;
    let last: Preflight | undefined;
    while (Date.now() < deadline) {
      last = await preflight(id);
      if (last.screen.show === screen) return last;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`waited ${timeoutMs} ms for ${screen}; last screen ${last?.screen.show}`);
  }

  const consent = (id: string, given = true) => call('PATCH', `/v1/sessions/${id}/consent?gives_consent=${given}`);

  const media = (id: string, bytes: Buffer, appScreen = 'scan_id_document_front_screen', extra: Record<string, unknown> = {}) =>
    call('POST', `/v1/sessions/${id}/media`, { body: { media_base64_strict: b64(bytes), app_screen: appScreen, ...extra } });

  async function livenessStart(id: string): Promise<string> {
    const res = await call('POST', `/v1/sessions/${id}/liveness/start`);
    return (assertStatus(res, 200) as { liveness_id: string }).liveness_id;
  }

  const livenessComplete = async (id: string, livenessId: string, count = 8) =>
    call('POST', `/v1/sessions/${id}/liveness/complete`, { body: { liveness_id: livenessId, frames: (await frames(count)).map(b64) } });

  /** consent → passport front → liveness: the whole basic flow, ending on completed_screen. */
  async function completeBasic(id: string): Promise<Preflight> {
    assertStatus(await consent(id), 200);
    assertStatus(await media(id, await jpeg(), 'scan_id_document_front_screen', { document_type: 'passport' }), 202);
    await waitForScreen(id, 'liveness_screen');
    assertStatus(await livenessComplete(id, await livenessStart(id)), 202);
    return waitForScreen(id, 'completed_screen');
  }

  return { call, create, preflight, waitForScreen, consent, media, livenessStart, livenessComplete, completeBasic };
}

/** Moves a session's expiry into the past, as if its time had run out (the column and the flow state both). */
export async function expireInDb(t: TestServer, id: string): Promise<void> {
  const past = new Date(Date.now() - 60_000).toISOString();
  await t.server.deps.db.query(
    `UPDATE sessions SET expires_at = $2::timestamptz, state = jsonb_set(state, '{expires_at}', to_jsonb($3::text)) WHERE id = $1`,
    [id, past, past],
  );
}

/**
 * One server for the calling test file, started at its top level (`const { t, s } = await serverForFile()`) and
 * closed after all of its tests; `env` as startTestServer's.
 */
export async function serverForFile(env: Record<string, string> = {}): Promise<{ t: TestServer; s: ReturnType<typeof sessionApi> }> {
  const t = await startTestServer(env);
  after(() => t.close());
  return { t, s: sessionApi(t) };
}
