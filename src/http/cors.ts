import type { FastifyCorsOptions } from '@fastify/cors';
import { KEY_HEADER } from './headers.js';

/**
 * Browsers on other origins (an inbox web app) may call the API when the operator lists them
 * (`CORS_ORIGINS`; `*` for any). One description of the policy for both the CORS plugin and the
 * list's fast lane, which answers without Fastify and must add what the plugin would.
 */
export interface CorsPolicy {
  /** The plugin's options. */
  options: FastifyCorsOptions;
  /** The CORS headers of an actual (not preflight) request from `origin`, as the plugin sets them. */
  headersFor(origin: string | undefined): Record<string, string>;
}

const EXPOSED = ['etag', 'x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];

export function corsPolicy(origins: readonly string[]): CorsPolicy | null {
  if (origins.length === 0) return null;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  const exposed = EXPOSED.join(', ');
  return {
    options: {
      origin: any ? true : [...origins],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['content-type', KEY_HEADER, 'if-none-match', 'last-event-id', 'idempotency-key', 'x-request-id'],
      exposedHeaders: EXPOSED,
      maxAge: 600,
    },
    headersFor(origin) {
      // The plugin echoes an allowed origin (so the answer varies by Origin) and always exposes the headers.
      const headers: Record<string, string> = { vary: 'Origin' };
      if (origin !== undefined && (any || allowed.has(origin))) headers['access-control-allow-origin'] = origin;
      headers['access-control-expose-headers'] = exposed;
      return headers;
    },
  };
}
