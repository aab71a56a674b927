import type { AnnouncedEvent } from '../availability/changes.js';
import type { Run } from '../db/prepared.js';
import type { SignOfLife } from './device-store.js';
import type { Standing, StatusUpdate } from './store.js';

/** An event a write announces besides the entries it changes, in its chatbot (see AnnouncedEvent). */
export type SaidEvent = Pick<AnnouncedEvent, 'agentId' | 'type' | 'data'>;

/**
 * What the works of one round share, per chatbot: a together work keeps what it read (the
 * members as an assignment sees them) for the next one, under a slot only its module holds.
 */
export interface Round {
  kept<T>(slot: RoundSlot<T>, chatbotId: string): T | undefined;
  keep<T>(slot: RoundSlot<T>, chatbotId: string, value: T): void;
}

/** A typed place in a Round; two slots never meet, whatever their names. */
export interface RoundSlot<T> {
  readonly name: string;
  /** Only carries T for the type checker. */
  readonly type?: (value: T) => T;
}

export const roundSlot = <T>(name: string): RoundSlot<T> => ({ name });

/** A round's shared places, for one round of a unit. */
export function newRound(): Round {
  const slots = new Map<RoundSlot<unknown>, Map<string, unknown>>();
  return {
    kept: <T>(slot: RoundSlot<T>, chatbotId: string) => slots.get(slot as RoundSlot<unknown>)?.get(chatbotId) as T | undefined,
    keep: <T>(slot: RoundSlot<T>, chatbotId: string, value: T) => {
      let of = slots.get(slot as RoundSlot<unknown>);
      if (!of) slots.set(slot as RoundSlot<unknown>, (of = new Map()));
      of.set(chatbotId, value);
    },
  };
}

/**
 * What a write tells its unit: the agents it changed (a together work: the round judges those
 * rather than the whole chatbot), and its answer, handed to the submitter once the unit commits
 * (never from a run that was rolled back and tried again).
 */
export interface Written<T> {
  changed?: readonly string[];
  answer?: T;
}

/**
 * A read a round makes once for all its works that name it, before any of their writes: one
 * statement (on PostgreSQL one round trip) however many works, rather than one each. It keeps
 * what it read in the round (see Round) for the works' writes to take; they keep it true as
 * they write.
 */
export interface RoundRead {
  read(run: Run, round: Round, wanted: ReadonlyArray<{ chatbotId: string; key: string }>): Promise<void> | void;
  /** Drops what it read of the chatbot: a write of another work may have changed it (the works that named it read on their own). */
  forget(round: Round, chatbotId: string): void;
}

/** One change to make and judge in a unit of work; T: what its write answers. */
export interface Work<T = unknown> {
  chatbotId: string;
  /** The agents whose entries to judge afterwards; undefined: every member, and the removal of former members. */
  agentIds?: readonly string[];
  /** An agent's own online flag (written with the other status updates of its round in one statement). */
  status?: StatusUpdate;
  /** A sign of life posted with a key: the device's post (written with the round's others in one statement). */
  post?: SignOfLife;
  /**
   * Any other write, run in the unit in turn, with the round's shared places (see Round) and
   * what it answers (see Written). `say` announces another event of the chatbot: it takes the
   * version after the round's changes and goes to the recorders with them, so it is announced
   * if and only if the write commits.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most writes are functions that return nothing (void).
  write?: (run: Run, round: Round, say: (event: SaidEvent) => void) => Promise<Written<T> | void> | Written<T> | void;
  /**
   * A whole chatbot's work (no agentIds) that may share its round with the chatbot's other such
   * works: their writes read and change the chatbot in turn, each seeing the ones before (an
   * assignment choosing among the members), and the round judges the chatbot once for all.
   */
  together?: boolean;
  /** What the write will look up (`key`), read for the whole round at once before the writes (see RoundRead). */
  readFirst?: { read: RoundRead; key: string };
}

/** What a submitted work gets once its unit committed: the status that stands (a status update), its write's answer. */
export interface Done<T> {
  standing?: Standing;
  answer?: T;
}

/**
 * What takes waiting chats when members become available (assignments/: the queue's drain),
 * inside the unit of work that made them available, under the chatbot's lock: it assigns what
 * it can through `run`, says its events, and names the agents it gave chats (judged and
 * announced in the same unit); `committed` runs once the unit committed (the agents are told).
 */
export interface Drainer {
  drain(run: Run, round: Round, chatbotId: string, say: (event: SaidEvent) => void): Promise<{ changed: readonly string[]; committed?: () => void }>;
}
