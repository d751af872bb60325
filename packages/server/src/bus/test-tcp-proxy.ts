// Test-only: a TCP proxy in front of a real server, so a test can make the network fail on cue: drop every
// connection and refuse new ones (the server "goes away"), stall (a half-open connection: bytes go nowhere), and
// come back on the same port.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Destroys every proxied connection and closes the port: clients see their connection end, reconnects are refused. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Until restore() or cut(): bytes from clients are swallowed, nothing is answered, connections stay open. */
  stall(): void;
  /** Client connections currently open through the proxy. */
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  let stalled = false;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a reset while cut is expected
  };

  const listen = (port: number): Promise<Server> =>
    new Promise((resolve, reject) => {
      const server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        track(client);
        clients.add(client);
        client.on('close', () => clients.delete(client));
        track(upstream);
        client.on('data', (chunk) => {
          if (!stalled) upstream.write(chunk);
        });
        upstream.on('data', (chunk) => {
          if (!stalled) client.write(chunk);
        });
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });

  let server: Server | null = await listen(0);
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the proxy has no port');
  const port = address.port;

  const cut = async (): Promise<void> => {
    stalled = false;
    const closing = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  return {
    port,
    cut,
    async restore() {
      stalled = false;
      if (!server) server = await listen(port);
    },
    stall() {
      stalled = true;
    },
    connections: () => clients.size,
    close: cut,
  };
}
