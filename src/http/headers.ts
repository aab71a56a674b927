import type { IncomingMessage } from 'node:http';

/** The header every API key travels in. */
export const KEY_HEADER = 'x-chatcaptain-key';

/**
 * One request header, read from the raw header list without making Node build the request's
 * `headers` object (a getter that copies and lower-cases every header: the hot read path
 * reads one or two headers). `name` is lower case. A header sent more than once comes back
 * joined with ", " as Node would join it; `single` (true) makes a repeated one come back as ""
 * (an API key sent twice is no key).
 */
export function header(request: { raw: IncomingMessage } | IncomingMessage, name: string, single = false): string | undefined {
  const raw = 'rawHeaders' in request ? request.rawHeaders : request.raw.rawHeaders;
  let found: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    if (found === undefined) found = raw[i + 1]!;
    else if (single) return '';
    else found = `${found}, ${raw[i + 1]!}`;
  }
  return found;
}
