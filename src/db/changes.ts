/**
 * Tells caches when what they hold may be stale, so reads can be cached without ever serving
 * data older than a write (a revoked key, a removed member, a changed status).
 *
 * Every change bumps one sequence. A cache stamps an entry with `stamp()` *before* reading
 * what it will hold; the entry is fresh while no relevant change has a later sequence. Writes
 * made through this process are reported by the stores; writes made by other processes (the
 * admin CLI on the same SQLite file) are detected through `readExternalVersion`, which for
 * SQLite is `PRAGMA data_version`: it changes exactly when another connection committed.
 */
export class ChangeTracker {
  #sequence = 0;
  #externalChangedAt = 0;
  #tenancyChangedAt = 0;
  readonly #chatbotChangedAt = new Map<string, number>();
  #lastExternalVersion: number | null = null;

  /**
   * @param readExternalVersion changes whenever another process may have written (SQLite's
   *   data_version; for PostgreSQL, the listener's connection epoch, NaN while not listening,
   *   which makes every cache entry stale until notifications flow again)
   * @param publish tells other processes about a local change (PostgreSQL: NOTIFY)
   */
  constructor(
    private readonly readExternalVersion: () => number | null = () => null,
    private readonly publish: (scope: string) => void = () => {},
  ) {}

  #observedThisTurn = false;

  /**
   * Reads the outside version at most once per event-loop turn. That is as strict as reading it
   * per request: all requests handled in a turn were read from their sockets before the turn's
   * first observation, so a write committed before any of them arrived is always seen.
   */
  #observeExternal(): void {
    if (this.#observedThisTurn) return;
    this.#observedThisTurn = true;
    setImmediate(() => {
      this.#observedThisTurn = false;
    });
    const version = this.readExternalVersion();
    if (version !== this.#lastExternalVersion) {
      this.#lastExternalVersion = version;
      this.externalChange();
    }
  }

  /** The stamp for a cache entry about to be read from the database. */
  stamp(): number {
    this.#observeExternal();
    return this.#sequence;
  }

  /** The sequence of the last outside change seen (observing first); moves when another process wrote. */
  externalSequence(): number {
    this.#observeExternal();
    return this.#externalChangedAt;
  }

  /** Something changed that this process cannot attribute (another process wrote): drop everything. */
  externalChange(): void {
    this.#externalChangedAt = ++this.#sequence;
  }

  /** Chatbots, agents, memberships or keys changed. */
  tenancyChanged(): void {
    this.#tenancyChangedAt = ++this.#sequence;
    this.publish('tenancy');
  }

  /** Presence in one chatbot changed. */
  chatbotChanged(chatbotId: string): void {
    this.#chatbotChangedAt.set(chatbotId, ++this.#sequence);
    this.publish(`chatbot:${chatbotId}`);
  }

  /** A change another process published: `tenancy` invalidates everything, `chatbot:<id>` one chatbot. */
  remoteChange(scope: string): void {
    if (scope.startsWith('chatbot:')) this.#chatbotChangedAt.set(scope.slice(8), ++this.#sequence);
    else this.externalChange();
  }

  /** Whether an entry about keys or memberships stamped at `stamp` still holds. */
  tenancyFresh(stamp: number): boolean {
    this.#observeExternal();
    return stamp >= this.#tenancyChangedAt && stamp >= this.#externalChangedAt;
  }

  /** Whether an entry about one chatbot's members and presence stamped at `stamp` still holds. */
  chatbotFresh(chatbotId: string, stamp: number): boolean {
    return this.tenancyFresh(stamp) && stamp >= (this.#chatbotChangedAt.get(chatbotId) ?? 0);
  }
}

/** A Map that forgets everything once it grows past `limit`, so hostile input cannot grow it forever. */
export class BoundedCache<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}
