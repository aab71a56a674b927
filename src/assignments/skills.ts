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

/** A step of a waiting chat's requirement: after `afterSeconds` of waiting, only these skills are required. */
export interface SkillStep {
  afterSeconds: number;
  requiredSkills: string[];
}

/** The most steps one chat's requirement relaxes by. */
export const MAX_SKILL_STEPS = 5;

/**
 * Steps that relax a requirement as a chat waits ("after 30 s drop billing, after 90 s take
 * anyone"), checked: at most MAX_SKILL_STEPS, each later than the one before (whole seconds,
 * from 1 to `longest`), each dropping at least one skill of the requirement before it and
 * adding none. The skills of each in one form (requireSkills).
 */
export function requireSkillSteps(value: unknown, requiredSkills: readonly string[], longest: number): SkillStep[] {
  if (!Array.isArray(value)) throw new AppError('invalid_request', 'skillSteps must be a list of steps');
  if (value.length > MAX_SKILL_STEPS) throw new AppError('invalid_request', `skillSteps may hold at most ${MAX_SKILL_STEPS} steps, got ${value.length}`);
  const steps: SkillStep[] = [];
  let before = { afterSeconds: 0, requiredSkills: [...requiredSkills] };
  for (const [index, step] of value.entries()) {
    const field = `skillSteps.${index}`;
    if (typeof step !== 'object' || step === null) throw new AppError('invalid_request', `${field} must be {"afterSeconds", "requiredSkills"}`);
    const { afterSeconds, requiredSkills: skills } = step as Record<string, unknown>;
    if (typeof afterSeconds !== 'number' || !Number.isInteger(afterSeconds) || afterSeconds < 1 || afterSeconds > longest)
      throw new AppError('invalid_request', `${field}.afterSeconds must be a whole number from 1 to ${longest}`);
    if (afterSeconds <= before.afterSeconds) throw new AppError('invalid_request', `${field}.afterSeconds must be later than the step before it (${before.afterSeconds} s)`);
    const relaxed = requireSkills(skills, `${field}.requiredSkills`, MAX_REQUIRED_SKILLS);
    const added = relaxed.filter((skill) => !before.requiredSkills.includes(skill));
    if (added.length > 0) throw new AppError('invalid_request', `${field} may only drop skills of the requirement before it, not add ${added.join(', ')}`);
    if (relaxed.length === before.requiredSkills.length) throw new AppError('invalid_request', `${field} must drop at least one skill of the requirement before it`);
    before = { afterSeconds, requiredSkills: relaxed };
    steps.push(before);
  }
  return steps;
}

/**
 * The requirement in effect after waiting `waitedMs`: the last step reached, else the one
 * asked; `step` says which (0: as asked, k: the k-th step).
 */
export function skillsInEffect(requiredSkills: readonly string[], steps: readonly SkillStep[], waitedMs: number): { skills: readonly string[]; step: number } {
  let effect = { skills: requiredSkills, step: 0 };
  for (const [index, step] of steps.entries()) if (waitedMs >= step.afterSeconds * 1000) effect = { skills: step.requiredSkills, step: index + 1 };
  return effect;
}

/** When the next step after `at` relaxes the requirement of a chat that arrived at `arrivedAt`; null when none is left. */
export function nextStepAt(arrivedAt: number, steps: readonly SkillStep[], at: number): number | null {
  for (const step of steps) if (arrivedAt + step.afterSeconds * 1000 > at) return arrivedAt + step.afterSeconds * 1000;
  return null;
}
