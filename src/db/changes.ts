/**
 * A way to tell other processes about changes and hear theirs: PostgreSQL's LISTEN/NOTIFY, or
 * Redis pub/sub when several instances run.
 */
export interface ChangeLink {
  /**
   * Moves whenever this link may have missed a message (a reconnect); NaN while it cannot
   * hear at all, which makes every cache entry stale until it hears again.
   */
  version(): number;
  /** Sends comma-separated scopes to the other processes; false when it cannot right now. */
  publish(scopes: string): boolean;
}

/** Payloads past this many characters become one "everything changed" (NOTIFY's limit is 8000 bytes). */
const MAX_PAYLOAD = 7000;

/**
 * Tells caches when what they hold may be stale, so reads can be cached without ever serving
 * data older than a write (a revoked key, a removed member, a changed status).
 *
 * Every change bumps one sequence. A cache stamps an entry with `stamp()` *before* reading
 * what it will hold; the entry is fresh while no relevant change has a later sequence. Writes
 * made through this process are reported by the stores; writes made by other processes are
 * heard through links (PostgreSQL NOTIFY, Redis) or, for the admin CLI on the same SQLite
 * file, seen through `readLocalVersion` (`PRAGMA data_version`, which changes exactly when
 * another connection committed).
 *
 * Local changes are published to the other processes once per event-loop turn, through the
 * first link that can take them (Redis before PostgreSQL, whose NOTIFY serialises commits).
 */
export class ChangeTracker {
  #sequence = 0;
  #externalChangedAt = 0;
  #tenancyChangedAt = 0;
  readonly #chatbotChangedAt = new Map<string, number>();
  #lastExternalVersion: number | string | null = null;
  readonly #links: ChangeLink[] = [];
  readonly #pending = new Set<string>();
  readonly #signalListeners: Array<(scope: string) => void> = [];

  /**
   * @param readLocalVersion changes whenever another process wrote to the same SQLite file
   */
  constructor(private readonly readLocalVersion: () => number | null = () => null) {}

  /** Adds a link to other processes; links added first are preferred for publishing. */
  link(link: ChangeLink, { preferred = false } = {}): void {
    if (preferred) this.#links.unshift(link);
    else this.#links.push(link);
    this.externalChange();
  }

  #observedThisTurn = false;

  #externalVersion(): number | string | null {
    if (this.#links.length === 0) return this.readLocalVersion();
    const parts: Array<number | null> = [this.readLocalVersion()];
    for (const link of this.#links) {
      const version = link.version();
      if (Number.isNaN(version)) return Number.NaN;
      parts.push(version);
    }
    return parts.join('|');
  }

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
    const version = this.#externalVersion();
    // NaN never equals itself: while a link cannot hear, every observation is a change.
    if (version !== this.#lastExternalVersion) {
      this.#lastExternalVersion = version;
      this.externalChange();
    }
  }

  #publish(scope: string): void {
    if (this.#links.length === 0) return;
    if (this.#pending.size === 0) setImmediate(() => this.flush());
    this.#pending.add(scope);
  }

  /** Sends the changes of this turn now (also before closing). */
  flush(): void {
    if (this.#pending.size === 0) return;
    let payload = [...this.#pending].join(',');
    this.#pending.clear();
    if (payload.length > MAX_PAYLOAD) payload = 'tenancy';
    this.#send(payload, 0);
  }

  #send(payload: string, from: number): void {
    for (let i = from; i < this.#links.length; i++) if (this.#links[i]!.publish(payload)) return;
  }

  /** A link took scopes but could not deliver them after all: the next link sends them. */
  undelivered(link: ChangeLink, scopes: string): void {
    const index = this.#links.indexOf(link);
    if (index >= 0) this.#send(scopes, index + 1);
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
    this.#publish('tenancy');
  }

  /** Presence in one chatbot changed. */
  chatbotChanged(chatbotId: string): void {
    this.#chatbotChangedAt.set(chatbotId, ++this.#sequence);
    this.#publish(`chatbot:${chatbotId}`);
  }

  /**
   * Tells the other instances something that is not a cache change: `events:<chatbot>` (new
   * presence events are in the log), `deleted:<chatbot>` (a chatbot was deleted: end its
   * streams), `liveness` (an instance released its streams) or `outbox` (pushes are waiting).
   */
  signal(scope: `events:${string}` | `deleted:${string}` | 'liveness' | 'outbox'): void {
    this.#publish(scope);
  }

  /** Called with each signal another instance sent. */
  onSignal(listener: (scope: string) => void): void {
    this.#signalListeners.push(listener);
  }

  /**
   * Comma-separated scopes another process published: `chatbot:<id>` invalidates one chatbot,
   * signals go to their listeners, and `tenancy` (or anything unknown) invalidates everything.
   */
  remoteChanges(scopes: string): void {
    for (const scope of scopes.split(',')) {
      if (scope.startsWith('chatbot:')) this.#chatbotChangedAt.set(scope.slice(8), ++this.#sequence);
      else if (scope.startsWith('events:') || scope.startsWith('deleted:') || scope === 'liveness' || scope === 'outbox')
        for (const listener of this.#signalListeners) listener(scope);
      else this.externalChange();
    }
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
