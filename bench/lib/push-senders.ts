// What a push phase sends in each slot: an update over REST (a state change, so the sequence moves) or a preflight
// request over the probe's own socket (the cable alone, no write path).
import http from 'node:http';
import { PREFLIGHT_REQUEST } from './cable-protocol.ts';
import type { ProbeClient } from './probe-client.ts';

/** Sends one slot's action to a session; resolves with its HTTP status (200 for a cable frame). */
export type Sender = (target: ProbeClient | string, slot: number) => Promise<number>;

export const cableRequest: Sender = (target) => {
  if (typeof target === 'string') throw new Error('a cable request needs a connected client');
  target.ws?.send(PREFLIGHT_REQUEST);
  return Promise.resolve(200);
};

/** `POST /v1/sessions/{id}` with a new expires_in: an `extend` flow event, so the sequence moves and a push follows. */
export function makeUpdater(port: number, agent: http.Agent, privateKey: string): Sender {
  return (target, slot) => new Promise<number>((resolve) => {
    const sessionId = typeof target === 'string' ? target : target.sessionId;
    const body = Buffer.from(JSON.stringify({ expires_in: 7 * 24 * 3600 + (slot % 3600) }));
    const request = http.request({
      host: '127.0.0.1', port, agent, method: 'POST', path: `/v1/sessions/${sessionId}`,
      headers: { authorization: `Bearer ${privateKey}`, 'content-type': 'application/json', 'content-length': body.length },
    }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve(0));
    });
    request.on('error', () => resolve(0));
    request.setTimeout(30_000, () => request.destroy());
    request.end(body);
  });
}
