/**
 * When agents' liveness ends, as a schedule of deadlines rather than a scan: deadlines fall into
 * buckets of RESOLUTION_MS, a min-heap orders the buckets, one timer waits for the earliest, and
 * moving an agent's deadline (every heartbeat does) is O(1) plus, for a bucket not yet known,
 * O(log buckets). With 100,000 agents the work per tick is the agents actually due and the
 * buckets they fill, never all agents or all buckets. A deadline fires at most one bucket late:
 * 10 ms, a small part of the 1 s in which a change made by the clock must be announced.
 */
const RESOLUTION_MS = 10;

export type DueHandler = (chatbotId: string, agentIds: string[]) => void;

/** The timers a schedule waits with: the process's by default; a test's virtual clock can drive them instead. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const processTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class DeadlineSchedule {
  readonly #buckets = new Map<number, Map<string, { chatbotId: string; agentId: string }>>();
  readonly #bucketOf = new Map<string, number>();
  /** Every bucket in #buckets, once, as a binary min-heap (an emptied bucket stays until it comes up). */
  readonly #heap = new BucketHeap();
  #timer: unknown = null;
  #armedFor: number | null = null;
  #stopped = false;

  constructor(
    private readonly onDue: DueHandler,
    private readonly now: () => number = Date.now,
    private readonly timers: Timers = processTimers,
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
      if (!this.#heap.has(bucket)) this.#heap.push(bucket);
    }
    items.set(key, { chatbotId, agentId });
    this.#bucketOf.set(key, bucket);
    if (this.#armedFor === null || bucket < this.#armedFor) this.#arm(bucket);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(bucket: number): void {
    if (this.#stopped) return;
    if (this.#timer !== null) this.timers.clearTimeout(this.#timer);
    this.#armedFor = bucket;
    this.#timer = this.timers.setTimeout(() => this.#fire(), Math.max(0, bucket * RESOLUTION_MS - this.now()));
  }

  #fire(): void {
    this.#timer = null;
    this.#armedFor = null;
    const nowBucket = Math.floor(this.now() / RESOLUTION_MS);
    const due = new Map<string, string[]>();
    while (this.#heap.size > 0 && this.#heap.peek()! <= nowBucket) {
      const bucket = this.#heap.pop()!;
      const items = this.#buckets.get(bucket);
      if (!items) continue;
      for (const [key, item] of items) {
        this.#bucketOf.delete(key);
        const list = due.get(item.chatbotId) ?? [];
        list.push(item.agentId);
        due.set(item.chatbotId, list);
      }
      this.#buckets.delete(bucket);
    }
    // Emptied buckets (every deadline in them moved) are dropped as they come up.
    while (this.#heap.size > 0 && !this.#buckets.has(this.#heap.peek()!)) this.#heap.pop();
    const next = this.#heap.peek();
    if (next !== undefined) this.#arm(next);
    for (const [chatbotId, agentIds] of due) this.onDue(chatbotId, agentIds);
  }
}

/** A binary min-heap of bucket numbers, each held at most once. */
class BucketHeap {
  readonly #items: number[] = [];
  readonly #held = new Set<number>();

  get size(): number {
    return this.#items.length;
  }

  has(bucket: number): boolean {
    return this.#held.has(bucket);
  }

  peek(): number | undefined {
    return this.#items[0];
  }

  push(bucket: number): void {
    const items = this.#items;
    this.#held.add(bucket);
    let index = items.push(bucket) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (items[parent]! <= bucket) break;
      items[index] = items[parent]!;
      index = parent;
    }
    items[index] = bucket;
  }

  pop(): number | undefined {
    const items = this.#items;
    const top = items[0];
    if (top === undefined) return undefined;
    this.#held.delete(top);
    const last = items.pop()!;
    if (items.length > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right]! < items[left]! ? right : left;
        if (items[child]! >= last) break;
        items[index] = items[child]!;
        index = child;
      }
      items[index] = last;
    }
    return top;
  }
}
