import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/** Where `npm run build` puts the console (console/dist), the same from src/ (tsx) and dist/. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist', import.meta.url));

/**
 * A strict policy on every console page: scripts, styles and connections only from this origin,
 * no inline script or style element, no framing, no plugins.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

interface ConsoleFile {
  type: string;
  etag: string;
  /** Hashed asset names never change content: cached for a year. index.html and sw.js are revalidated. */
  immutable: boolean;
  plain: Buffer;
  gzip: Buffer;
  br: Buffer;
}

const loaded = new Map<string, Map<string, ConsoleFile>>();

/** Every file of the built console, read and compressed once per process (a few hundred KB), however many apps are built. */
export function loadConsole(dir: string = CONSOLE_DIST): Map<string, ConsoleFile> {
  const known = loaded.get(dir);
  if (known) return known;
  const files = new Map<string, ConsoleFile>();
  loaded.set(dir, files);
  if (!existsSync(join(dir, 'index.html'))) return files;
  const visit = (path: string) => {
    for (const name of readdirSync(path)) {
      if (name.startsWith('.')) continue; // the build stamp, never a page
      const full = join(path, name);
      if (statSync(full).isDirectory()) visit(full);
      else {
        const plain = readFileSync(full);
        const key = relative(dir, full).split(sep).join('/');
        files.set(key, {
          type: TYPES[extname(name)] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(plain).digest('base64url').slice(0, 22)}"`,
          immutable: key.startsWith('assets/'),
          plain,
          gzip: gzipSync(plain, { level: 9 }),
          br: brotliCompressSync(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        });
      }
    }
  };
  visit(dir);
  return files;
}

/** The agent console at /app/: the built files, with the console's CSP and caching, compressed when the browser accepts it. */
export async function consoleRoutes(app: FastifyInstance, options: { files: Map<string, ConsoleFile> }): Promise<void> {
  const { files } = options;
  app.get('/app', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/', 301));
  const serve = async (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
    if (files.size === 0) throw new AppError('not_found', 'the console is not built on this install (console/dist is missing); run npm run build');
    const path = request.params['*'] || 'index.html';
    const file = files.get(path);
    if (!file) throw new AppError('not_found', `no console file ${path}`);
    reply
      .header('content-type', file.type)
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cross-origin-opener-policy', 'same-origin')
      .header('x-frame-options', 'DENY')
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('etag', file.etag)
      .header('vary', 'accept-encoding');
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    const accepts = String(request.headers['accept-encoding'] ?? '');
    if (/\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(file.br);
    if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(file.gzip);
    return reply.send(file.plain);
  };
  app.get('/app/*', { config: { public: true }, schema: { hide: true } }, serve);
}
