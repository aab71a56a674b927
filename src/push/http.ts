import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isNonPublicAddress } from '../delivery/addresses.js';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text, at most 16 KiB of it (error bodies are small; the rest is not needed). */
  body: string;
}

const MAX_BODY = 16 * 1024;

/**
 * The one way pushes leave the service: POSTs over keep-alive connections (thousands of pushes
 * to the same push service reuse a few sockets), each with a deadline, and every connection's
 * address checked against the SSRF guard.
 */
export class PushHttp {
  readonly #httpAgent: http.Agent;
  readonly #httpsAgent: https.Agent;

  constructor(
    private readonly allowedHosts: readonly string[],
    maxSockets: number,
  ) {
    const options = { keepAlive: true, maxSockets, lookup: guardedLookup(allowedHosts) as never };
    this.#httpAgent = new http.Agent(options);
    this.#httpsAgent = new https.Agent(options);
  }

  post(target: string, headers: Record<string, string | number>, body: Buffer | string, timeoutMs: number): Promise<HttpAnswer> {
    const url = new URL(target);
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    // An IP literal never goes through lookup: check it here.
    if (isIP(host) !== 0 && isNonPublicAddress(host) && !this.allowedHosts.includes(host)) {
      return Promise.reject(Object.assign(new Error(`${host} is not a public address; refused`), { code: 'ENONPUBLIC' }));
    }
    const secure = url.protocol === 'https:';
    const transport = secure ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method: 'POST', headers, agent: secure ? this.#httpsAgent : this.#httpAgent, timeout: timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }
}
