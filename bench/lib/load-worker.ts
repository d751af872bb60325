// Child-process HTTP/1.1 keep-alive load generator: N connections, a fixed request count, GET paths round-robin.
// A raw net client (pre-encoded requests, a minimal response parser) so the generator costs far less CPU than the
// servers it measures; it runs in its own process so it never shares their event loop. Started by load.ts.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  type: 'run';
  port: number;
  paths: string[];
  count: number;
  connections: number;
  /** The whole run is abandoned after this long (a benchmark stops by itself). */
  timeoutMs: number;
}

export interface LoadResult {
  type: 'result';
  /** Per-request latency in ms, in completion order. */
  latencies: number[];
  elapsedMs: number;
  statuses: Record<string, number>;
  /** Body size of the first response, to check both targets answer the same number of bytes. */
  firstBody: string;
  error: string | null;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

function run(request: LoadRequest): Promise<LoadResult> {
  const encoded = request.paths.map((path) =>
    Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${request.port}\r\nAccept: application/json\r\nUser-Agent: tessera-bench\r\n\r\n`, 'latin1'));
  const latencies = new Float64Array(request.count);
  const statuses: Record<string, number> = {};
  let issued = 0;
  let done = 0;
  let firstBody = '';
  let started = 0;
  const sockets: Socket[] = [];

  return new Promise<LoadResult>((resolve) => {
    let finished = false;
    const finish = (error: string | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const elapsedMs = performance.now() - started;
      for (const socket of sockets) socket.destroy();
      resolve({ type: 'result', latencies: Array.from(latencies.subarray(0, done)), elapsedMs, statuses, firstBody, error });
    };
    const timer = setTimeout(() => finish(`timed out after ${request.timeoutMs} ms with ${done}/${request.count} done`), request.timeoutMs);

    const open = (): Promise<void>[] =>
      Array.from({ length: request.connections }, () => new Promise<void>((ready, fail) => {
        const socket = connect({ host: '127.0.0.1', port: request.port });
        socket.setNoDelay(true);
        sockets.push(socket);
        let buffer: Buffer | null = null;
        let need = -1;
        let headerEnd = -1;
        let status = 0;
        let sentAt = 0;
        const send = (): void => {
          if (finished || issued >= request.count) return;
          const index = issued++;
          sentAt = performance.now();
          socket.write(encoded[index % encoded.length]!);
        };
        socket.once('connect', () => {
          ready();
          socket.on('close', () => finish(done < request.count ? 'a connection closed before the run ended' : null));
        });
        socket.on('error', (error) => {
          fail(error);
          finish(`socket error: ${error.message}`);
        });
        socket.on('data', (chunk: Buffer) => {
          buffer = buffer === null ? chunk : Buffer.concat([buffer, chunk]);
          while (buffer !== null) {
            if (need < 0) {
              headerEnd = buffer.indexOf(HEADER_END);
              if (headerEnd < 0) return;
              const head = buffer.toString('latin1', 0, headerEnd);
              status = Number(head.slice(9, 12));
              const length = CONTENT_LENGTH.exec(head);
              if (!length) return finish(`response without content-length (chunked is not supported): ${head.split('\r\n')[0]}`);
              need = headerEnd + 4 + Number(length[1]);
            }
            if (buffer.length < need) return;
            latencies[done++] = performance.now() - sentAt;
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (firstBody === '') firstBody = buffer.toString('utf8', headerEnd + 4, need);
            buffer = buffer.length > need ? buffer.subarray(need) : null;
            need = -1;
            if (done === request.count) return finish(null);
            send();
          }
        });
        // Every connection starts sending only once all are open, so connects stay out of the timed window.
        socket.once('bench:start', send);
      }));

    Promise.all(open()).then(
      () => {
        started = performance.now();
        for (const socket of sockets) socket.emit('bench:start');
      },
      () => {}, // finish() already ran from the socket's error handler
    );
  });
}

process.on('message', (message: LoadRequest | { type: 'exit' }) => {
  if (message.type === 'exit') process.exit(0);
  else void run(message).then((result) => process.send?.(result));
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
