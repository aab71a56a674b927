import type { FastifyBaseLogger } from 'fastify';
import type { EventLog, LoggedEvent } from './event-store.js';

/** One open stream, as the hub sees it. */
export interface Subscriber {
  /** Version of the last event this subscriber has (its snapshot's, or its resume point). */
  after: number;
  /** Whether it asked for batches (?batch=true): one `batch` frame per delivery instead of one `presence` frame per event. */
  batched?: boolean;
  /** Writes SSE frames (nothing once the subscriber is gone or was dropped as too slow). */
  send(frames: string | Buffer): void;
  /** Ends the stream (shutdown). */
  end(): void;
}

const TAIL_BATCH = 500;

export function sseFrame(event: string, version: number, data: string): string {
  return `id: ${version}\nevent: ${event}\ndata: ${data}\n\n`;
}

/** One `batch` frame holding events in version order: `{"agents":[entry, …]}`, with the last one's id. */
export function batchFrame(events: readonly LoggedEvent[]): string {
  return sseFrame('batch', events.at(-1)!.version, `{"agents":[${events.map((event) => event.data).join(',')}]}`);
}

/** A frame per event: `presence` for a change of an entry, the event's own type otherwise. */
export function eventFrames(events: readonly LoggedEvent[]): string[] {
  return events.map((event) => sseFrame(event.type ?? 'presence', event.version, event.data));
}

/**
 * The frames of a batched stream: each run of entry changes as one `batch` frame, any other
 * event (`assignment.orphaned`) as its own frame between them, in version order. Every frame's
 * id is its last event's version, so a resume from any of them misses and repeats nothing.
 */
export function batchFrames(events: readonly LoggedEvent[]): string {
  let frames = '';
  let changes: LoggedEvent[] = [];
  for (const event of events) {
    if (!event.type) {
      changes.push(event);
      continue;
    }
    if (changes.length > 0) frames += batchFrame(changes);
    changes = [];
    frames += sseFrame(event.type, event.version, event.data);
  }
  return changes.length > 0 ? frames + batchFrame(changes) : frames;
}

/**
 * Delivers presence events to the streams open in this process. Events are read from the
 * chatbot's event log in version order, so each subscriber gets every event after its `after`
 * exactly once and in order, whichever writer (this process, the CLI) logged them. Pokes for a
 * chatbot are coalesced: a burst of changes costs one read of the log.
 *
 * Events this process just logged are handed over with their data (`delivered`): when every
 * subscriber already has everything before them, they are sent without reading them back.
 * Otherwise (a gap: another writer's events in between, a subscriber behind, a read in
 * progress) they go the way of a poke, through the log.
 */
export class PresenceHub {
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  readonly #tailing = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();

  constructor(
    private readonly events: EventLog,
    private readonly log: FastifyBaseLogger,
  ) {}

  hasSubscribers(chatbotId: string): boolean {
    return (this.#subscribers.get(chatbotId)?.size ?? 0) > 0;
  }

  chatbotsWithSubscribers(): string[] {
    return [...this.#subscribers.keys()];
  }

  subscribe(chatbotId: string, subscriber: Subscriber): void {
    let set = this.#subscribers.get(chatbotId);
    if (!set) {
      set = new Set();
      this.#subscribers.set(chatbotId, set);
    }
    set.add(subscriber);
    this.poke(chatbotId);
  }

  unsubscribe(chatbotId: string, subscriber: Subscriber): void {
    const set = this.#subscribers.get(chatbotId);
    set?.delete(subscriber);
    if (set?.size === 0) this.#subscribers.delete(chatbotId);
  }

  /** Resolves once no read of the chatbot's log is under way here (nor queued after one). */
  async idle(chatbotId: string): Promise<void> {
    for (let run = this.#tailing.get(chatbotId); run; run = this.#tailing.get(chatbotId)) await run;
  }

  /** New events may be in the chatbot's log: deliver them. */
  poke(chatbotId: string): void {
    if (!this.hasSubscribers(chatbotId)) return;
    if (this.#tailing.has(chatbotId)) {
      this.#again.add(chatbotId);
      return;
    }
    const run = this.#tail(chatbotId)
      .catch((error: unknown) => this.log.error({ err: error, chatbotId }, 'delivering presence events failed'))
      .finally(() => {
        this.#tailing.delete(chatbotId);
        if (this.#again.delete(chatbotId)) this.poke(chatbotId);
      });
    this.#tailing.set(chatbotId, run);
  }

  /**
   * Events this process logged and committed, in version order: sent from memory when no
   * subscriber lacks an earlier one and no read of the log is under way; otherwise a poke.
   */
  delivered(chatbotId: string, events: readonly LoggedEvent[]): void {
    const subscribers = this.#subscribers.get(chatbotId);
    if (!subscribers || subscribers.size === 0 || events.length === 0) return;
    const first = events[0]!.version;
    let contiguous = !this.#tailing.has(chatbotId);
    for (let i = 1; contiguous && i < events.length; i++) contiguous = events[i]!.version === first + i;
    for (const subscriber of subscribers) if (subscriber.after < first - 1) contiguous = false;
    if (!contiguous) {
      this.poke(chatbotId);
      return;
    }
    this.#send(subscribers, events);
  }

  /** Writes a comment to every stream so proxies keep idle ones open. */
  keepAlive(): void {
    for (const set of this.#subscribers.values()) for (const subscriber of set) subscriber.send(': keep-alive\n\n');
  }

  /** Ends the streams of a chatbot that was deleted: clients that reconnect are refused. */
  endChatbot(chatbotId: string): void {
    for (const subscriber of [...(this.#subscribers.get(chatbotId) ?? [])]) subscriber.end();
  }

  /** Ends every stream (shutdown), so clients reconnect elsewhere. */
  endAll(): void {
    for (const set of this.#subscribers.values()) for (const subscriber of [...set]) subscriber.end();
  }

  async #tail(chatbotId: string): Promise<void> {
    for (;;) {
      const subscribers = this.#subscribers.get(chatbotId);
      if (!subscribers || subscribers.size === 0) return;
      let from = Number.POSITIVE_INFINITY;
      for (const subscriber of subscribers) from = Math.min(from, subscriber.after);
      const rows = await this.events.eventsAfter(chatbotId, from, TAIL_BATCH);
      const first = rows[0] ? Number(rows[0].version) : null;
      if (first !== null && first > from + 1) {
        // Events these subscribers were owed were pruned before delivery (a burst larger than
        // the retention): never skip silently. Ending their streams makes them reconnect with
        // their last id, which gets a fresh snapshot.
        for (const subscriber of [...(this.#subscribers.get(chatbotId) ?? [])]) {
          if (subscriber.after < first - 1) {
            this.log.warn({ chatbotId, after: subscriber.after, oldestKept: first }, 'stream fell behind the event log; ending it for a snapshot');
            this.unsubscribe(chatbotId, subscriber);
            subscriber.end();
          }
        }
      }
      this.#send(
        this.#subscribers.get(chatbotId),
        rows.map((row) => ({ version: Number(row.version), data: row.data, type: row.type })),
      );
      if (rows.length < TAIL_BATCH) return;
    }
  }

  /**
   * Sends each subscriber the events (in version order, without gaps) after its `after`: a
   * frame per event, or for a subscriber that asked for batches one `batch` frame of the entry
   * changes (split around any other event, which keeps a frame of its own). One write per
   * subscriber for the whole delivery, of bytes encoded once for all subscribers of a kind: a
   * burst (many agents idle at one moment) costs a write per stream, not an encoding and a
   * write per event and stream.
   */
  #send(subscribers: Set<Subscriber> | undefined, events: readonly LoggedEvent[]): void {
    const last = events.at(-1)?.version;
    if (last === undefined || !subscribers) return;
    const first = events[0]!.version;
    let frames: string[] | undefined;
    let whole: Buffer | undefined;
    let wholeBatch: Buffer | undefined;
    for (const subscriber of subscribers) {
      if (subscriber.after >= last) continue;
      let owed: string | Buffer;
      if (subscriber.batched) {
        owed = subscriber.after < first ? (wholeBatch ??= Buffer.from(batchFrames(events), 'utf8')) : batchFrames(events.filter((event) => event.version > subscriber.after));
      } else {
        frames ??= eventFrames(events);
        owed = subscriber.after < first ? (whole ??= Buffer.from(frames.join(''), 'utf8')) : frames.filter((_, i) => events[i]!.version > subscriber.after).join('');
      }
      subscriber.after = last;
      subscriber.send(owed);
    }
  }
}
