import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A free TCP port on loopback, as the kernel hands one out. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * A real Redis server of the test's own (`redis-server` from the machine), on a port of its
 * own, so a test can stop and restart it without touching anyone else's Redis. Nothing is
 * kept on disk, as with the machine's own. Fails, saying so, when redis-server is missing.
 */
export class RedisServer {
  #child: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  /** Starts (again) on the same port and waits until it accepts connections. */
  async restart(): Promise<void> {
    const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
    const child = spawn(binary, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not become ready in 10 s')), 10_000);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`the multi-instance tests need ${binary} (Debian package redis-server, or set REDIS_SERVER_BIN): ${error.message}`));
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        if (String(chunk).includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Stops the server at once (its clients see the connection drop). */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}
