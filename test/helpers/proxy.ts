import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy in front of a server (PostgreSQL) that a test can cut and restore: an outage on demand. */
export class CuttableProxy {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.#server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async cut(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server = null;
  }
}

/** The same URL, but through the proxy's port. */
export function throughProxy(url: string, proxy: CuttableProxy): string {
  const via = new URL(url);
  via.port = String(proxy.port);
  return via.toString();
}
