import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/** Where the SDK's build leaves what integrators download (sdk/scripts/release.mjs). */
export const SDK_RELEASE = fileURLToPath(new URL('../../sdk/release', import.meta.url));

const TYPES: Record<string, string> = { '.tgz': 'application/gzip', '.js': 'text/javascript; charset=utf-8' };

const loaded = new Map<string, Map<string, { type: string; body: Buffer }>>();

/** The released SDK files by name, read once per process however many apps are built, or an empty map when the SDK is not built here. */
export function loadSdkRelease(dir: string = SDK_RELEASE): Map<string, { type: string; body: Buffer }> {
  const known = loaded.get(dir);
  if (known) return known;
  const files = new Map<string, { type: string; body: Buffer }>();
  if (!existsSync(dir)) return files;
  loaded.set(dir, files);
  for (const name of readdirSync(dir)) {
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (type && /^inbox-agents-sdk-\d+\.\d+\.\d+\.(tgz|js)$/.test(name)) files.set(name, { type, body: readFileSync(join(dir, name)) });
  }
  return files;
}

/**
 * The SDK, where integrators are: `npm install <service>/sdk/inbox-agents-sdk-<version>.tgz`
 * (its dependencies travel inside it, so no registry is needed) and
 * `<script type="module" src="<service>/sdk/inbox-agents-sdk-<version>.js">` (one module, usable
 * from any origin). Versioned names: cached for good. GET /sdk/ says what is here.
 */
export async function downloadRoutes(app: FastifyInstance, options: { files: Map<string, { type: string; body: Buffer }> }): Promise<void> {
  const { files } = options;
  const version = [...files.keys()].map((name) => /^inbox-agents-sdk-(.+)\.tgz$/.exec(name)?.[1]).find(Boolean) ?? null;
  app.get('/sdk/', { config: { public: true }, schema: { hide: true } }, async (request) => {
    if (version === null) throw new AppError('not_found', 'the SDK is not built on this install; run npm run build -w sdk');
    const base = `${request.protocol}://${request.host}/sdk`;
    return {
      version,
      install: `npm install ${base}/inbox-agents-sdk-${version}.tgz`,
      module: `${base}/inbox-agents-sdk-${version}.js`,
      files: [...files.keys()].sort(),
    };
  });
  app.get<{ Params: { file: string } }>('/sdk/:file', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const file = files.get(request.params.file);
    if (!file) {
      throw new AppError(
        'not_found',
        files.size === 0 ? 'the SDK is not built on this install; run npm run build -w sdk' : `no SDK file ${request.params.file}; GET /sdk/ lists what is here`,
      );
    }
    return reply
      .header('content-type', file.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('access-control-allow-origin', '*')
      .header('x-content-type-options', 'nosniff')
      .send(file.body);
  });
}
