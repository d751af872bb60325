// Bus over Redis pub/sub (ioredis): every process using the same Redis and channel sees every change.
// Like the PostgreSQL adapter, a process's own publishes come back to it through Redis: one delivery path.
//
// One channel for all sessions, not one per session. Each socket subscribes to its session, and a process holds
// ~5,000 sockets that come and go: per-session channels would turn every socket open/close into a SUBSCRIBE or
// UNSUBSCRIBE round trip on the shared subscriber connection, and a reconnect would re-SUBSCRIBE thousands of
// channels at once. Worse, Bus.subscribe is synchronous, so a publish racing a SUBSCRIBE still in flight would be
// lost. With one channel the Redis subscription exists before createRedisBus resolves, subscribe() is a local map
// insert (handler-registry.ts, shared with the other adapters), and the price is that every process receives every
// change (about 1 KB, a handful per session) and drops those it has no socket for.
//
// Two connections per process: a subscribed connection cannot be used for PUBLISH (RESP2), and a separate publisher
// keeps publishes going while the subscriber reconnects.
//
// Reconnects: ioredis reconnects by itself (exponential back-off with jitter, capped at 5 s) and, with
// autoResubscribe (its default, set explicitly here), subscribes the new connection to the channel again.
// Redis pub/sub is fire-and-forget: changes published while the subscriber is disconnected are lost, and a publish
// while the publisher is disconnected rejects (the caller logs it). Either way the change is committed in the
// database and cable clients catch up through their preflight fallback (protocol §1).
import { Redis, type RedisOptions } from 'ioredis';
import type { Bus, BusErrorHandler } from './bus.ts';
import { createHandlerRegistry } from './handler-registry.ts';
import { parseChange } from './parse-change.ts';

export const REDIS_BUS_DEFAULT_CHANNEL = 'tessera:session-changes';

export interface RedisBusOptions {
  /** redis://[user:password@]host[:port][/db] or rediss:// (TLS). */
  url: string;
  /** Printable ASCII without spaces, at most 200 characters. */
  channel?: string;
  onError?: BusErrorHandler;
  /** A publish with no reply after this long rejects (a half-open socket, a stalled server). Default 2000. */
  publishTimeoutMs?: number;
  /** Bound on establishing each connection at start. Default 10000. */
  connectTimeoutMs?: number;
}

/** Resolves once the channel is subscribed, so no publish of this process can miss its own subscribers.
 *  Rejects if Redis cannot be reached at start, so a wrong URL fails fast. */
export async function createRedisBus(options: RedisBusOptions): Promise<Bus> {
  const channel = options.channel ?? REDIS_BUS_DEFAULT_CHANNEL;
  if (!/^[\x21-\x7e]{1,200}$/.test(channel)) throw new Error(`invalid bus channel name: ${JSON.stringify(channel)}`);
  // The URL may carry a password: only its scheme ever appears in an error.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(options.url)?.[1]?.toLowerCase();
  if (scheme !== 'redis' && scheme !== 'rediss') throw new Error(`the Redis bus URL must start with redis:// or rediss://, got ${scheme ?? 'no'} scheme`);
  const onError = options.onError ?? (() => {});
  const registry = createHandlerRegistry(onError);

  const common: RedisOptions = {
    lazyConnect: true, // connect() below, so a failure at start rejects instead of retrying in the background
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    connectionName: 'tessera-bus',
  };
  const subscriber = new Redis(options.url, { ...common, autoResubscribe: true });
  const publisher = new Redis(options.url, {
    ...common,
    // Publishes must fail, not wait: no offline queue (a publish while disconnected rejects at once), in-flight
    // publishes are rejected as soon as the connection drops rather than resent on reconnect, and a reply that
    // never comes times out. Ordering needs no queue either: one connection writes PUBLISHes in call order.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.publishTimeoutMs ?? 2000,
  });
  // Without an 'error' listener ioredis prints every connection error to the console. ioredis errors can carry the
  // command's arguments (the change itself) as a property, so only a scrubbed copy goes on.
  let lastError: unknown; // the cause behind connect()'s bare "Connection is closed." at start
  subscriber.on('error', (error: unknown) => ((lastError = error), onError(scrub(error), { where: 'subscriber' })));
  publisher.on('error', (error: unknown) => ((lastError = error), onError(scrub(error), { where: 'publisher' })));

  subscriber.on('message', (from: string, payload: string) => {
    if (from !== channel) return;
    const change = parseChange(payload);
    if (change) registry.dispatch(change);
    else onError(new Error('malformed session change message'), { where: 'message' });
  });

  try {
    await Promise.all([subscriber.connect(), publisher.connect()]);
    await subscriber.subscribe(channel);
  } catch (error) {
    await Promise.all([end(subscriber), end(publisher)]);
    throw scrub(lastError ?? error, 'the Redis bus could not connect');
  }

  let closed = false;
  return {
    async publish(change) {
      if (closed) throw new Error('bus is closed');
      try {
        await publisher.publish(channel, JSON.stringify(change));
      } catch (error) {
        throw scrub(error, 'publishing on the Redis bus failed');
      }
    },
    subscribe(sessionId, handler) {
      if (closed) return () => {};
      return registry.add(sessionId, handler);
    },
    async close() {
      if (closed) return;
      closed = true;
      registry.clear();
      await Promise.all([end(subscriber), end(publisher)]);
    },
  };
}

/** QUIT when connected (pending publishes get their replies first), then stop any reconnecting for good.
 *  Both waits are bounded: close() must not hang on a half-open socket. */
async function end(client: Redis): Promise<void> {
  if (client.status === 'ready') await within(client.quit().catch(() => {}), 1000);
  if (client.status === 'end') return;
  // A socket still open emits 'end' once closed. Between connections ('reconnecting', 'close', 'wait') there is no
  // socket: disconnect() just cancels the pending reconnect, and ioredis emits nothing to wait for.
  const open = client.status === 'connecting' || client.status === 'connect' || client.status === 'ready';
  const ended = open ? new Promise<void>((resolve) => client.once('end', () => resolve())) : null;
  client.disconnect();
  if (ended) await within(ended, 1000);
}

async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A plain Error with the message and code of `error` and none of its properties (ioredis attaches the command's
 *  arguments, i.e. the payload, to its errors); a prefix says which operation failed. */
function scrub(error: unknown, prefix?: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const clean = new Error(prefix ? `${prefix}: ${message}` : message);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.assign(clean, { code });
  return clean;
}
