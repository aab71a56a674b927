/**
 * Control characters in request text: which no field accepts (a NUL, which PostgreSQL's text
 * cannot hold, and the other C0 controls and DEL), and which only fields that hold lines do
 * (tab, line feed, carriage return). A pure rule, so that both databases answer alike.
 */

/** Every C0 control and DEL but tab, line feed and carriage return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this rule's job.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Every C0 control and DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this rule's job.
const CONTROL_OR_LINE = /[\u0000-\u001F\u007F]/;

/** The top-level body fields whose text may hold lines: a notification's body, the JSON `data` it passes to the browser as is, and a chat's preview. */
export const FIELDS_WITH_LINES: ReadonlySet<string> = new Set(['body', 'data', 'preview']);

/** A control character found: where, and which (as U+XXXX). */
export interface ControlCharacter {
  field: string;
  character: string;
}

const found = (field: string, text: string, rule: RegExp): ControlCharacter | null => {
  const match = rule.exec(text);
  return match ? { field, character: `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` } : null;
};

/**
 * The first control character a field may not hold in a parsed JSON body (keys included),
 * or null. The walk's depth is the body's nesting, which the JSON parser bounded before.
 */
export function controlCharacterInBody(value: unknown, field = '', linesAllowed = false): ControlCharacter | null {
  const rule = linesAllowed ? CONTROL : CONTROL_OR_LINE;
  if (typeof value === 'string') return found(field || 'the body', value, rule);
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = controlCharacterInBody(value[i], `${field}[${i}]`, linesAllowed);
      if (hit) return hit;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value)) {
    const path = field === '' ? key : `${field}.${key}`;
    const keyHit = found(`a field name in ${field || 'the body'}`, key, CONTROL_OR_LINE);
    if (keyHit) return keyHit;
    const hit = controlCharacterInBody(inner, path, linesAllowed || (field === '' && FIELDS_WITH_LINES.has(key)));
    if (hit) return hit;
  }
  return null;
}

/** The first control character in a request's path parameters or query values (none holds lines), or null. */
export function controlCharacterInUrl(values: Record<string, unknown> | undefined, part: 'path' | 'query'): ControlCharacter | null {
  if (!values) return null;
  for (const [name, value] of Object.entries(values)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      if (typeof text !== 'string') continue;
      const hit =
        found(part === 'path' ? `the path parameter ${name}` : `the query parameter ${name}`, text, CONTROL_OR_LINE) ?? found(`a ${part} parameter name`, name, CONTROL_OR_LINE);
      if (hit) return hit;
    }
  }
  return null;
}

/** What a person is told. */
export const controlCharacterMessage = ({ field, character }: ControlCharacter) =>
  `${field} contains the control character ${character}; text accepts no control characters (tab and line breaks only in a notification's body and data and an assignment's preview)`;
