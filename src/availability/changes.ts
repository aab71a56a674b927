import type { Run } from '../db/prepared.js';

/** A change of an agent's state, reason or status text: the interval it opens. */
export interface StateChange {
  /** The interval's id (ordered by time, see ids.ts). */
  id: string;
  state: string;
  reason: string;
  statusText: string | null;
  /** When the new state began (the previous interval ends then). */
  from: number;
  /** Who caused it when not the agent itself or the clock: a supervisor's agent id, or a key id. */
  setBy: string | null;
}

/**
 * A change of an agent's listed entry, announced once by the unit of work that judged it (see
 * presence/unit-of-work.ts): what the event log, the history and the webhook outbox record.
 */
export interface AnnouncedChange {
  chatbotId: string;
  agentId: string;
  /** The chatbot's event version given to the change (versions of one unit count on, in order). */
  version: number;
  /** The entry as announced, JSON; for a removal `{"agentId","removed":true,"online":false,"connected":false}`. */
  entry: string;
  /** The agent is no longer a member. */
  removed: boolean;
  /** A change of state, reason or text (null: only online, connected, devices or a shown lapse changed). */
  state: StateChange | null;
  /** The interval this change (of state, or a removal) ends: the one the last announced state opened (null: none). */
  closes: string | null;
}

/**
 * What records announced changes, inside the unit of work that announces them, so that each
 * change is recorded exactly when it is announced: the event log (streams), the availability
 * history, the webhook outbox. The unit of work hands every one the same changes.
 */
export interface ChangeRecorder {
  /** Records the changes (in version order) through `run`; true when it left work for after the commit. */
  record(run: Run, changes: readonly AnnouncedChange[], at: number): Promise<boolean>;
  /** Called once a unit whose record() answered true has committed (the outbox wakes its worker). */
  committed?(): void;
}
