// Test-only: what the process-level tests use to talk to a spawned server: JSON over fetch, bounded polling,
// a raw ActionCable socket that records every frame, and generated image fixtures.
import { randomBytes } from 'node:crypto';
import { CABLE_CHANNEL, preflight, type Preflight } from '@tessera/protocol';
import sharp from 'sharp';
import WebSocket from 'ws';

export interface ApiResponse {
  status: number;
  // any: a test helper; callers assert the fields they use
  body: any;
}

export async function api(
  base: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<ApiResponse> {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body };
}

/** Polls `probe` until it returns a value other than undefined; fails after `timeoutMs` with the last value seen. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A sandbox session on `level`, created with the public key, with consent given (it then shows the front screen). */
export async function createSession(base: string, publicKey: string, options: { consent?: boolean; level?: string } = {}): Promise<string> {
  const created = await api(base, 'POST', '/v1/sessions', { key: publicKey, body: { kyc_level: options.level ?? 'basic' } });
  if (created.status !== 201) throw new Error(`POST /v1/sessions: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.session_id as string;
  if (options.consent !== false) {
    const consent = await api(base, 'PATCH', `/v1/sessions/${id}/consent?gives_consent=true`);
    if (consent.status !== 200) throw new Error(`consent: ${consent.status} ${JSON.stringify(consent.body)}`);
  }
  return id;
}

export async function getPreflight(base: string, sessionId: string): Promise<Preflight> {
  const response = await api(base, 'GET', `/v1/sessions/${sessionId}/preflight`);
  if (response.status !== 200) throw new Error(`preflight: ${response.status} ${JSON.stringify(response.body)}`);
  return preflight.parse(response.body);
}

export const frontUpload = (image: Buffer) => ({
  media_base64_strict: image.toString('base64'),
  app_screen: 'scan_id_document_front_screen',
  document_type: 'passport',
});

/** `POST …/media` for the front screen (passport) as the protocol's multipart form: the file travels as raw bytes. */
export async function uploadFrontMultipart(base: string, sessionId: string, image: Buffer, timeoutMs = 30_000): Promise<ApiResponse> {
  const form = new FormData();
  form.set('app_screen', 'scan_id_document_front_screen');
  form.set('document_type', 'passport');
  form.set('media', new Blob([new Uint8Array(image)]), 'front.jpg');
  const response = await fetch(`${base}/v1/sessions/${sessionId}/media`, { method: 'POST', body: form, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body };
}

/** A JPEG of random pixels (incompressible, so its size is ~1.4 bytes a pixel at quality 100). */
export async function noiseJpeg(width: number, height: number, quality = 100): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer();
}

export async function noisePng(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
}

export type Frame = Record<string, unknown>;
export const IDENTIFIER = JSON.stringify({ channel: CABLE_CHANNEL });

/** A bare `ws` ActionCable client that keeps every frame it receives (pings apart), to assert exact frames and order. */
export class CableProbe {
  readonly socket: WebSocket;
  readonly frames: Frame[] = [];
  readonly closed: Promise<number>;
  readonly #waiters = new Set<() => void>();

  private constructor(url: string) {
    this.socket = new WebSocket(url, ['actioncable-v1-json']);
    this.socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.type !== 'ping') this.frames.push(frame);
      this.#wakeAll();
    });
    this.socket.on('error', () => {}); // surfaced through `closed` and the waits
    this.closed = new Promise((resolve) => this.socket.on('close', (code) => (this.#wakeAll(), resolve(code))));
  }

  /** Connects, waits for the welcome, subscribes to the channel and waits for the confirmation and first preflight. */
  static async subscribe(url: string, timeoutMs = 5000): Promise<CableProbe> {
    const probe = new CableProbe(url);
    await probe.waitFor('welcome', (f) => f.type === 'welcome', timeoutMs);
    probe.socket.send(JSON.stringify({ command: 'subscribe', identifier: IDENTIFIER }));
    await probe.waitFor('confirm_subscription', (f) => f.type === 'confirm_subscription', timeoutMs);
    await probe.waitFor('the first preflight', (f) => f.message !== undefined, timeoutMs);
    return probe;
  }

  /** Every preflight pushed so far, in arrival order. */
  preflights(): Preflight[] {
    return this.frames.filter((f) => f.identifier === IDENTIFIER && f.message !== undefined).map((f) => preflight.parse(f.message));
  }

  /** The first frame (already received or still to come) that satisfies `test`. */
  waitFor(what: string, test: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${what} within ${timeoutMs} ms; frames: ${JSON.stringify(this.frames).slice(0, 2000)}`)), timeoutMs);
      const check = (): void => {
        const found = this.frames.find(test);
        if (found) done(null, found);
        else if (this.socket.readyState === WebSocket.CLOSED) done(new Error(`socket closed before ${what}; frames: ${JSON.stringify(this.frames).slice(0, 2000)}`));
      };
      const done = (error: Error | null, frame?: Frame): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error) reject(error);
        else resolve(frame!);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Waits for a pushed preflight showing `show`. */
  async waitForScreen(show: string, timeoutMs = 10_000): Promise<Preflight> {
    const frame = await this.waitFor(`a push of ${show}`, (f) => (f.message as Preflight | undefined)?.screen?.show === show, timeoutMs);
    return preflight.parse(frame.message);
  }

  close(): Promise<number> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    return this.closed;
  }

  #wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
