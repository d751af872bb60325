#!/usr/bin/env node
// Drives a `basic` verification (consent → passport → liveness) from create to completed_screen using only
// `fetch` and the stock `@rails/actioncable` client — exactly what a Bynn client does — and prints each push.
//
//   TESSERA_URL=http://localhost:3000 TESSERA_PUBLIC_KEY=public_sandbox_… node examples/basic-flow.mjs
import WebSocket from 'ws';

const base = (process.env.TESSERA_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const key = process.env.TESSERA_PUBLIC_KEY;
if (!key) {
  console.error('Set TESSERA_PUBLIC_KEY (printed by `npm start` on first start).');
  process.exit(2);
}

// @rails/actioncable is written for browsers: give it the two globals it touches in Node.
globalThis.addEventListener ??= () => {};
globalThis.removeEventListener ??= () => {};
const { createConsumer, adapters } = await import('@rails/actioncable');
adapters.WebSocket = WebSocket;

// A small grey JPEG stands in for the photos: the server validates and stores it, then keeps it for review.
const JPEG =
  '/9j/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAoAEADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFgEBAQEAAAAAAAAAAAAAAAAAAAME/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8AqA0IgAAAAAAAAAAAAAAAAAAAAAP/2Q==';

async function call(method, path, body, auth) {
  const response = await fetch(base + path, {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const session = await call('POST', '/v1/sessions', { kyc_level: 'basic', unique_id: `demo-${Date.now()}` }, key);
const id = session.session_id;
console.log(`session ${id} created; hosted page: ${session.url}`);

const pushes = [];
let onPush = () => {};
const consumer = createConsumer(session.websocket_url);
await new Promise((resolve, reject) => {
  consumer.subscriptions.create({ channel: 'BynnKycChannel' }, {
    connected: resolve,
    rejected: () => reject(new Error('subscription rejected')),
    received(preflight) {
      pushes.push(preflight);
      console.log(`push #${preflight.sequence}: ${preflight.screen.show} (${preflight.entity_id_state})`);
      onPush(preflight);
    },
  });
});

/** Resolves with the first push showing `screen`. */
function screen(show) {
  const seen = pushes.find((p) => p.screen.show === show && p.sequence === pushes.at(-1).sequence);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no push of ${show} within 30 s`)), 30_000);
    onPush = (p) => {
      if (p.screen.show === show) {
        clearTimeout(timer);
        resolve(p);
      }
    };
  });
}

await screen('consent_screen');
await call('PATCH', `/v1/sessions/${id}/consent?gives_consent=true`);
await screen('scan_id_document_front_screen');
await call('POST', `/v1/sessions/${id}/media`, { media_base64_strict: JPEG, app_screen: 'scan_id_document_front_screen', document_type: 'passport' });
await screen('liveness_screen');
const { liveness_id, challenge } = await call('POST', `/v1/sessions/${id}/liveness/start`);
await call('POST', `/v1/sessions/${id}/liveness/complete`, { liveness_id, frames: Array(challenge.frame_count).fill(JPEG) });
const done = await screen('completed_screen');
consumer.disconnect();
console.log(`done: ${done.screen.show} after ${pushes.length} pushes`);
process.exit(0);
