import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A FAKE of Google's OAuth2 token endpoint and FCM HTTP v1, for tests, over loopback. The token
 * endpoint takes the JWT-bearer grant and verifies the RS256 assertion with the test service
 * account's public key (iss, scope, aud, iat/exp at most an hour apart); `messages:send`
 * requires the access token it issued and answers with FCM's real bodies: 200 with the
 * message name, or google.rpc errors with FcmError details (UNREGISTERED 404, INVALID_ARGUMENT
 * 400 about message.token, SENDER_ID_MISMATCH 403, QUOTA_EXCEEDED 429 with Retry-After,
 * UNAVAILABLE 503, UNAUTHENTICATED 401).
 */

export type FcmScript = 'UNREGISTERED' | 'INVALID_TOKEN' | 'SENDER_ID_MISMATCH' | 'QUOTA_EXCEEDED' | 'UNAVAILABLE' | 'UNAUTHENTICATED';

const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface FcmReceived {
  token: string;
  message: Record<string, any>;
  at: number;
  status: number;
}

export class TestFcmService {
  readonly received: FcmReceived[] = [];
  readonly violations: string[] = [];
  tokenRequests = 0;
  readonly #issued = new Set<string>();
  readonly #scripts = new Map<string, FcmScript[]>();
  readonly projectId = 'inbox-test-project';
  readonly clientEmail = 'push-sender@inbox-test-project.iam.gserviceaccount.com';
  readonly #publicKey: string;
  readonly privateKey: string;
  /** Set to make the token endpoint refuse the grant (a revoked service account key). */
  refuseGrants = false;

  private constructor(
    readonly server: Server,
    readonly origin: string,
  ) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    this.#publicKey = pair.publicKey;
    this.privateKey = pair.privateKey;
  }

  static async start(): Promise<TestFcmService> {
    let service!: TestFcmService;
    const server = createServer((request, response) => void service.#handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    service = new TestFcmService(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return service;
  }

  /** Writes the service account key file as the Firebase console gives it; returns its path. */
  writeServiceAccount(dir: string): string {
    const path = join(dir, 'service-account.json');
    writeFileSync(
      path,
      JSON.stringify({
        type: 'service_account',
        project_id: this.projectId,
        private_key_id: randomBytes(20).toString('hex'),
        private_key: this.privateKey,
        client_email: this.clientEmail,
        client_id: '100000000000000000000',
        token_uri: GOOGLE_TOKEN_URL,
      }),
    );
    return path;
  }

  /** Environment for an app that sends through this fake. */
  env(dir: string): Record<string, string> {
    return { FCM_SERVICE_ACCOUNT_FILE: this.writeServiceAccount(dir), FCM_ENDPOINT: this.origin, FCM_TOKEN_URL: `${this.origin}/token` };
  }

  script(token: string, ...answers: FcmScript[]): void {
    this.#scripts.set(token, [...(this.#scripts.get(token) ?? []), ...answers]);
  }

  delivered(token: string): FcmReceived[] {
    return this.received.filter((entry) => entry.token === token && entry.status === 200);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  #json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (request.method === 'POST' && request.url === '/token') return this.#token(text, response);
    if (request.method === 'POST' && request.url === `/v1/projects/${this.projectId}/messages:send`) return this.#send(request, text, response);
    this.#json(response, 404, { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } });
  }

  #token(text: string, response: ServerResponse) {
    this.tokenRequests += 1;
    const form = new URLSearchParams(text);
    const invalid = (description: string) => {
      this.violations.push(description);
      this.#json(response, 400, { error: 'invalid_grant', error_description: description });
    };
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return invalid(`grant_type ${form.get('grant_type')}`);
    const [head, claims, signature] = (form.get('assertion') ?? '').split('.') as [string, string, string];
    if (!signature) return invalid('no assertion');
    const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
    if (header.alg !== 'RS256') return invalid(`assertion alg ${header.alg}`);
    if (!verify('RSA-SHA256', Buffer.from(`${head}.${claims}`), this.#publicKey, Buffer.from(signature, 'base64url'))) return invalid('Invalid JWT Signature.');
    const c = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { iss?: string; scope?: string; aud?: string; iat?: number; exp?: number };
    if (c.iss !== this.clientEmail) return invalid(`iss ${c.iss}`);
    if (!String(c.scope).split(' ').includes('https://www.googleapis.com/auth/firebase.messaging')) return invalid(`scope ${c.scope}`);
    if (c.aud !== GOOGLE_TOKEN_URL) return invalid(`aud ${c.aud}`);
    const now = Date.now() / 1000;
    if (!c.iat || !c.exp || c.exp - c.iat > 3600 || c.exp < now) return invalid('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    if (this.refuseGrants) {
      this.#json(response, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      return;
    }
    const token = `ya29.test-${randomBytes(12).toString('base64url')}`;
    this.#issued.add(token);
    this.#json(response, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }

  #send(request: IncomingMessage, text: string, response: ServerResponse) {
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    let message: Record<string, any> = {};
    try {
      message = (JSON.parse(text) as { message: Record<string, any> }).message ?? {};
    } catch {
      // Judged below as a missing token.
    }
    const token = String(message.token ?? '');
    const scripted = this.#scripts.get(token)?.shift();
    const record = (status: number) => this.received.push({ token, message, at: Date.now(), status });
    if (!bearer || !this.#issued.has(bearer) || scripted === 'UNAUTHENTICATED') {
      record(401);
      return this.#json(response, 401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
          status: 'UNAUTHENTICATED',
        },
      });
    }
    const fcmError = (code: number, status: string, errorCode: string, text: string, extra: object[] = [], headers: Record<string, string> = {}) => {
      record(code);
      this.#json(
        response,
        code,
        { error: { code, message: text, status, details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }, ...extra] } },
        headers,
      );
    };
    switch (scripted) {
      case 'UNREGISTERED':
        return fcmError(404, 'NOT_FOUND', 'UNREGISTERED', 'Requested entity was not found.');
      case 'INVALID_TOKEN':
        return fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token', [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [{ field: 'message.token', description: 'The registration token is not a valid FCM registration token' }],
          },
        ]);
      case 'SENDER_ID_MISMATCH':
        return fcmError(403, 'PERMISSION_DENIED', 'SENDER_ID_MISMATCH', 'SenderId mismatch');
      case 'QUOTA_EXCEEDED':
        return fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED', 'Quota exceeded for quota metric', [], { 'retry-after': '1' });
      case 'UNAVAILABLE':
        return fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE', 'The service is currently unavailable.');
    }
    if (!token || !message.webpush) {
      return fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
    }
    record(200);
    this.#json(response, 200, { name: `projects/${this.projectId}/messages/0:${Date.now()}%${randomBytes(8).toString('hex')}` });
  }
}
