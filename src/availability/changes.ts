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
 * Another event announced with the agents' changes, under the chatbot's next version: what a
 * write of a unit of work says besides changing entries (`assignment.orphaned`). The event log
 * streams it as an event of its own type, the webhook outbox sends it, the history ignores it.
 */
export interface AnnouncedEvent {
  chatbotId: string;
  /** The agent it is about (webhook messages are kept per agent). */
  agentId: string;
  version: number;
  /** The event's type, e.g. `assignment.orphaned`: the stream's event name, the webhook's `type`. */
  type: string;
  /** Its data, JSON: the stream event's data, the webhook message's `data`. */
  data: string;
}

/**
 * What records announced changes, inside the unit of work that announces them, so that each
 * change is recorded exactly when it is announced: the event log (streams), the availability
 * history, the webhook outbox. The unit of work hands every one the same changes.
 */
export interface ChangeRecorder {
  /** Records the changes (in version order) through `run`; true when it left work for after the commit. */
  record(run: Run, changes: readonly AnnouncedChange[], at: number): Promise<boolean>;
  /** Records other events (in version order, after the round's changes); true when it left work for after the commit. Without it, they are not its concern. */
  recordEvents?(run: Run, events: readonly AnnouncedEvent[], at: number): Promise<boolean>;
  /** Called once a unit whose record() or recordEvents() answered true has committed (the outbox wakes its worker). */
  committed?(): void;
}
