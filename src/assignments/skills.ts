import { AppError } from '../errors.js';

/**
 * Skills: short names a chatbot's admins give its members (`es`, `billing`, `tier-2`) and an
 * assignment may require. A member missing any skill a chat requires may not take it (choose.ts
 * says `missing_skill`, naming which). Names are compared exactly, so they are kept in one form:
 * lower case letters, digits and `-`, `_` or `.`, starting with a letter or digit.
 */
export const SKILL_NAME = /^[a-z0-9][a-z0-9._-]{0,39}$/;
export const SKILL_RULE = 'a skill is 1 to 40 lower-case letters, digits, "-", "_" or ".", starting with a letter or digit';
/** The most skills one member holds in a chatbot, and the most one chat requires. */
export const MAX_MEMBER_SKILLS = 50;
export const MAX_REQUIRED_SKILLS = 10;

/**
 * A list of skills as given (a member's, or a chat's requirement), checked and in one form:
 * each name once, sorted. `field` names it in the error; `most` is the longest list allowed.
 */
export function requireSkills(value: unknown, field: string, most: number): string[] {
  if (!Array.isArray(value)) throw new AppError('invalid_request', `${field} must be a list of skills`);
  if (value.length > most) throw new AppError('invalid_request', `${field} may name at most ${most} skills, got ${value.length}`);
  for (const name of value) {
    if (typeof name !== 'string' || !SKILL_NAME.test(name)) throw new AppError('invalid_request', `${field}: ${JSON.stringify(name)} is not a skill name: ${SKILL_RULE}`);
  }
  return [...new Set(value as string[])].sort();
}

/** The skills of `required` a member holding `held` lacks, in the order required (none: it may take the chat). */
export function missingSkills(held: readonly string[], required: readonly string[]): string[] {
  if (required.length === 0) return [];
  return required.filter((skill) => !held.includes(skill));
}

/** Skills as stored (JSON text), read back; a list that is not one (never written so) counts as none. */
export function storedSkills(json: string | null | undefined): string[] {
  if (!json) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === 'string') : [];
}
