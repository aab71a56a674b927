import type { AnnouncedEvent } from '../availability/changes.js';
import type { Run } from '../db/prepared.js';
import type { SignOfLife } from './device-store.js';
import type { StatusUpdate } from './store.js';

/** An event a write announces besides the entries it changes, in its chatbot (see AnnouncedEvent). */
export type SaidEvent = Pick<AnnouncedEvent, 'agentId' | 'type' | 'data'>;

/** One change to make and judge in a unit of work. */
export interface Work {
  chatbotId: string;
  /** The agents whose entries to judge afterwards; undefined: every member, and the removal of former members. */
  agentIds?: readonly string[];
  /** An agent's own online flag (written with the other status updates of its round in one statement). */
  status?: StatusUpdate;
  /** A sign of life posted with a key: the device's post (written with the round's others in one statement). */
  post?: SignOfLife;
  /**
   * Any other write, run in the unit in turn, with a scratch map shared by the works of its round
   * (a together work may keep what it read there for the next). A together work's write may
   * answer the agents it changed: the round then judges those rather than the whole chatbot.
   * `say` announces another event of the chatbot: it takes the version after the round's
   * changes and goes to the recorders with them, so it is announced if and only if the write
   * commits.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most writes are functions that return nothing (void), a together work's may name agents.
  write?: (run: Run, round: Map<string, unknown>, say: (event: SaidEvent) => void) => Promise<void | readonly string[]> | void | readonly string[];
  /**
   * A whole chatbot's work (no agentIds) that may share its round with the chatbot's other such
   * works: their writes read and change the chatbot in turn, each seeing the ones before (an
   * assignment choosing among the members), and the round judges the chatbot once for all.
   */
  together?: boolean;
}
