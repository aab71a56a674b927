/**
 * When agents' liveness ends, as a schedule of deadlines rather than a scan: deadlines fall into
 * buckets of RESOLUTION_MS, one timer waits for the earliest bucket, and moving an agent's
 * deadline (every heartbeat does) is O(1). With 100,000 agents the work per tick is the agents
 * actually due plus a pass over the buckets (at most 3,000 for a 150 s TTL), never all agents.
 * A deadline fires at most one bucket late: 50 ms, a small part of the 1 s in which a change
 * made by the clock must be announced.
 */
const RESOLUTION_MS = 50;

export type DueHandler = (chatbotId: string, agentIds: string[]) => void;

export class DeadlineSchedule {
  readonly #buckets = new Map<number, Map<string, { chatbotId: string; agentId: string }>>();
  readonly #bucketOf = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #armedFor: number | null = null;
  #stopped = false;

  constructor(
    private readonly onDue: DueHandler,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#bucketOf.size;
  }

  /** Sets (or moves, or with null clears) the moment to re-check one agent. */
  schedule(chatbotId: string, agentId: string, at: number | null): void {
    const key = `${chatbotId}\u0000${agentId}`;
    const previous = this.#bucketOf.get(key);
    const bucket = at === null || !Number.isFinite(at) ? null : Math.ceil(at / RESOLUTION_MS);
    if (previous === bucket) return;
    if (previous !== undefined) {
      const items = this.#buckets.get(previous);
      items?.delete(key);
      if (items?.size === 0) this.#buckets.delete(previous);
      this.#bucketOf.delete(key);
    }
    if (bucket === null) return;
    let items = this.#buckets.get(bucket);
    if (!items) {
      items = new Map();
      this.#buckets.set(bucket, items);
    }
    items.set(key, { chatbotId, agentId });
    this.#bucketOf.set(key, bucket);
    if (this.#armedFor === null || bucket < this.#armedFor) this.#arm(bucket);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(bucket: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#armedFor = bucket;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, bucket * RESOLUTION_MS - this.now()));
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = null;
    this.#armedFor = null;
    const nowBucket = Math.floor(this.now() / RESOLUTION_MS);
    const due = new Map<string, string[]>();
    let next: number | null = null;
    for (const [bucket, items] of this.#buckets) {
      if (bucket > nowBucket) {
        if (next === null || bucket < next) next = bucket;
        continue;
      }
      for (const [key, item] of items) {
        this.#bucketOf.delete(key);
        const list = due.get(item.chatbotId) ?? [];
        list.push(item.agentId);
        due.set(item.chatbotId, list);
      }
      this.#buckets.delete(bucket);
    }
    if (next !== null) this.#arm(next);
    for (const [chatbotId, agentIds] of due) this.onDue(chatbotId, agentIds);
  }
}
