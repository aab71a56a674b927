import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors.js';
import { controlCharacterInBody, controlCharacterMessage } from './control-characters.js';

/** Deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether `text` nests arrays and objects deeper than `limit`, found by one pass over the
 * characters (brackets inside strings do not count). Everything that walks a body afterwards
 * (validation, the Idempotency-Key hash, JSON.stringify) recurses, so the depth is bounded here,
 * before anything recursive runs. A body shorter than twice the limit cannot be that deep.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  if (text.length <= 2 * limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/**
 * The service's one JSON body parser. Differences from Fastify's own: an empty body (what many
 * fetch wrappers send with `content-type: application/json` and no data) means "no body", which
 * routes whose body is optional accept and the others refuse by their schema; nesting deeper
 * than MAX_JSON_DEPTH is refused before parsing. Prototype poisoning (`__proto__`,
 * `constructor.prototype`) is refused as Fastify's parser does, and so is a control character
 * in any text (see control-characters.ts), before any route or database sees it.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
      return done(new AppError('invalid_request', `the body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`), undefined);
    }
    let parsed: unknown;
    try {
      parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      return done(new AppError('invalid_json', `the request body is not valid JSON (${(error as Error).message})`), undefined);
    }
    // JSON escapes every control character but DEL (\u0000): only a body with a backslash or a DEL can hold one.
    const control = text.includes('\\') || text.includes('\u007f') ? controlCharacterInBody(parsed) : null;
    if (control) return done(new AppError('control_character', controlCharacterMessage(control)), undefined);
    done(null, parsed);
  });
}
