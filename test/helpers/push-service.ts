import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error http_ece ships no types
import ece from 'http_ece';

/**
 * A FAKE of a browser vendor's push service, for tests: it speaks RFC 8030 over loopback as
 * those services do. It checks each push's VAPID JWT (RFC 8292: ES256 signed by the key in
 * `k`, `aud` = this service's origin, `exp` within 24 h, a mailto:/https: `sub`), requires the
 * TTL header and aes128gcm, and decrypts the body (RFC 8291) with the subscription's own
 * private key and auth secret, as the browser would. It answers 201 Created with a Location,
 * or what the test scripts per subscription: 410 Gone, 404, 429 with Retry-After, 500, 403.
 */

export interface ScriptedAnswer {
  status: number;
  retryAfter?: string;
  /** Hold the answer this long (ms), to keep pushes in flight. */
  delayMs?: number;
}

export interface ReceivedPush {
  subscriptionId: string;
  at: number;
  headers: IncomingMessage['headers'];
  /** The decrypted payload, parsed as JSON. */
  payload: Record<string, unknown>;
  status: number;
}

interface Subscription {
  ecdh: ECDH;
  auth: Buffer;
  script: ScriptedAnswer[];
  defaultDelayMs: number;
}

export class TestPushService {
  readonly received: ReceivedPush[] = [];
  /** Pushes refused for breaking the protocol (bad VAPID, no TTL, undecryptable): must stay empty. */
  readonly violations: string[] = [];
  readonly #subscriptions = new Map<string, Subscription>();
  #counter = 0;
  /** When set, a push signed with another VAPID key is answered 403, as real services do. */
  expectedVapidKey: string | null = null;

  private constructor(
    readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<TestPushService> {
    let service!: TestPushService;
    const server = createServer((request, response) => void service.#handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    service = new TestPushService(server, `http://127.0.0.1:${port}`);
    return service;
  }

  /** A new browser subscription: what PushSubscription.toJSON() gives. */
  subscribe(options: { delayMs?: number } = {}) {
    const id = `s${++this.#counter}-${randomBytes(4).toString('hex')}`;
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    this.#subscriptions.set(id, { ecdh, auth, script: [], defaultDelayMs: options.delayMs ?? 0 });
    return {
      id,
      json: { endpoint: `${this.origin}/push/${id}`, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } },
    };
  }

  /** The next answers for a subscription, in order; after them, 201. */
  script(id: string, ...answers: ScriptedAnswer[]): void {
    this.#subscriptions.get(id)!.script.push(...answers);
  }

  /** Pushes that were accepted (201) for a subscription. */
  delivered(id: string): ReceivedPush[] {
    return this.received.filter((push) => push.subscriptionId === id && push.status === 201);
  }

  attempts(id: string): ReceivedPush[] {
    return this.received.filter((push) => push.subscriptionId === id);
  }

  /** Resolves once `count` pushes have been accepted in all (or rejects after `timeoutMs`). */
  async waitForDelivered(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.filter((push) => push.status === 201).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} pushes, got ${this.received.filter((push) => push.status === 201).length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  #refuse(response: ServerResponse, status: number, problem: string): void {
    this.violations.push(problem);
    response.writeHead(status, { 'content-type': 'text/plain' }).end(problem);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const id = /^\/push\/([\w-]+)$/.exec(request.url ?? '')?.[1];
    const subscription = id ? this.#subscriptions.get(id) : undefined;
    if (request.method !== 'POST' || !id || !subscription) {
      response.writeHead(404).end();
      return;
    }
    const ttl = request.headers.ttl;
    if (typeof ttl !== 'string' || !/^\d+$/.test(ttl)) return this.#refuse(response, 400, 'a push without a TTL header');
    if (request.headers['content-encoding'] !== 'aes128gcm') return this.#refuse(response, 415, 'a push not encoded as aes128gcm');

    const vapid = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(String(request.headers.authorization ?? ''));
    if (!vapid) return this.#refuse(response, 401, `no VAPID authorization: ${String(request.headers.authorization)}`);
    const [, jwt, k] = vapid as unknown as [string, string, string];
    const problem = this.#checkJwt(jwt, k);
    if (problem) return this.#refuse(response, 401, problem);
    if (this.expectedVapidKey && k !== this.expectedVapidKey) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('the VAPID key does not match the subscription');
      this.received.push({ subscriptionId: id, at: Date.now(), headers: request.headers, payload: {}, status: 403 });
      return;
    }

    let payload: Record<string, unknown>;
    try {
      const plain = ece.decrypt(body, { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret: subscription.auth }) as Buffer;
      payload = JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      return this.#refuse(response, 400, `a body that does not decrypt: ${(error as Error).message}`);
    }

    const answer = subscription.script.shift() ?? { status: 201 };
    const delay = answer.delayMs ?? subscription.defaultDelayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    this.received.push({ subscriptionId: id, at: Date.now(), headers: request.headers, payload, status: answer.status });
    if (answer.status === 201) {
      response.writeHead(201, { location: `${this.origin}/message/${randomBytes(6).toString('hex')}` }).end();
    } else {
      response.writeHead(answer.status, { 'content-type': 'text/plain', ...(answer.retryAfter ? { 'retry-after': answer.retryAfter } : {}) }).end(`scripted ${answer.status}`);
    }
  }

  /** RFC 8292: ES256 over header.payload with the key in k; aud is our origin; exp within 24 h. */
  #checkJwt(jwt: string, k: string): string | null {
    const [head, claims, signature] = jwt.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string; typ?: string };
    if (header.alg !== 'ES256') return `VAPID JWT alg is ${header.alg}, not ES256`;
    const raw = Buffer.from(k, 'base64url');
    if (raw.length !== 65) return 'VAPID k is not a 65-byte P-256 key';
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    if (!verify('sha256', Buffer.from(`${head}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))) {
      return 'VAPID JWT signature does not verify with k';
    }
    const payload = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud?: string; exp?: number; sub?: string };
    if (payload.aud !== this.origin) return `VAPID aud is ${payload.aud}, not ${this.origin}`;
    const now = Date.now() / 1000;
    if (typeof payload.exp !== 'number' || payload.exp <= now || payload.exp > now + 24 * 3600) return `VAPID exp ${payload.exp} is not within 24 h`;
    if (!/^(mailto:|https:)/.test(payload.sub ?? '')) return `VAPID sub ${payload.sub} is not mailto: or https:`;
    return null;
  }
}
