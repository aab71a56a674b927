import { apiError, createInboxClient, type AgentEntry, type InboxClient } from './client.js';
import { nextDelay, retryAfterMs, type Backoff } from './backoff.js';

/** Where the stream is: opening, receiving, waiting to reconnect after a failure, or stopped for good. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'stopped';

/** What a stream event's data carries: an agent's entry, or a removal (`removed: true`). */
type PresenceData = AgentEntry & { removed?: boolean };

/**
 * An agent with open chats has been gone (offline, away, do-not-disturb) for the chatbot's
 * `reassignAfterSeconds`: its conversations, and where those the service moved went.
 */
export interface OrphanedAssignments {
  chatbotId: string;
  agentId: string;
  conversations: string[];
  moved: Array<{ conversationId: string; agentId: string }>;
}

/**
 * A chat that became an agent's (`created`, `transferred`) or ended (`released`): the event's
 * type and its data. `agentName`, `strategy`, `assignedAt`, `title` and `preview` come with
 * created and transferred; `from` (who had it) with transferred.
 */
export interface AssignmentEvent {
  type: 'assignment.created' | 'assignment.transferred' | 'assignment.released' | 'assignment.accepted';
  chatbotId: string;
  conversationId: string;
  agentId: string;
  agentName?: string;
  strategy?: string;
  assignedAt?: string;
  from?: string;
  title?: string | null;
  preview?: string | null;
  /** When the chat arrived (before assignedAt when it waited in the queue) and its queue priority. */
  arrivedAt?: string;
  priority?: number;
  /** The skills it was assigned under, and which step of its requirement that was (0: as asked; k: after its k-th skillStep). */
  requiredSkills?: string[];
  skillStep?: number;
}

const ASSIGNMENT_EVENTS = ['assignment.created', 'assignment.transferred', 'assignment.released'] as const;

/**
 * A step of an offer (the chatbot asks its agents to accept): a chat `offered` to an agent (until
 * `offerExpiresAt`), `accepted` by it (the chat is its own from then: it also reaches
 * onAssignment), `declined`, or `offer_missed` (lapsed unanswered). After a decline or a miss the
 * chat is offered to the next agent (another `offered`) or waits (`assignment.waiting`).
 */
export interface OfferEvent {
  type: 'assignment.offered' | 'assignment.accepted' | 'assignment.declined' | 'assignment.offer_missed';
  chatbotId: string;
  conversationId: string;
  agentId: string;
  agentName?: string;
  title?: string | null;
  preview?: string | null;
  /** offered and accepted: when it was offered (assignedAt) and, offered, when the offer lapses. */
  assignedAt?: string;
  offerExpiresAt?: string;
  acceptedAt?: string;
  /** declined and offer_missed: when it had been offered, and when it was declined or lapsed. */
  offeredAt?: string;
  declinedAt?: string;
  missedAt?: string;
  arrivedAt?: string;
  priority?: number;
  requiredSkills?: string[];
  skillStep?: number;
}

const OFFER_EVENTS = ['assignment.offered', 'assignment.accepted', 'assignment.declined', 'assignment.offer_missed'] as const;

/**
 * A chat put in the waiting queue (`waiting`), or leaving it without an agent: cancelled (the
 * visitor left) or expired (it waited its maxWaitSeconds). A chat the queue gives an agent is an
 * `assignment.created` (onAssignment).
 */
export interface QueueEvent {
  type: 'assignment.waiting' | 'assignment.cancelled' | 'assignment.expired';
  chatbotId: string;
  conversationId: string;
  priority: number;
  arrivedAt: string;
  expiresAt: string;
  maxWaitSeconds: number | null;
  title: string | null;
  preview: string | null;
  cancelledAt?: string;
  expiredAt?: string;
}

const QUEUE_EVENTS = ['assignment.waiting', 'assignment.cancelled', 'assignment.expired'] as const;

/** The part of EventSource this module uses: the browser's, or the `eventsource` package's. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data?: string; lastEventId?: string; code?: number; message?: string }) => void): void;
  close(): void;
}
export type EventSourceConstructor = new (url: string) => EventSourceLike;

export interface WatchPresenceOptions {
  /** Where the service answers, e.g. `https://inbox.example.com`. */
  baseUrl: string;
  chatbotId: string;
  /** A key allowed to list the chatbot's agents. It is sent in a header to get a ticket, never in a URL. */
  apiKey: string;
  /** Every agent as now known, after each snapshot or event (a new Map each time). */
  onChange?: (agents: ReadonlyMap<string, AgentEntry>) => void;
  /** Each `assignment.orphaned` event: an agent's chats announced orphaned (once; a resume never repeats one). */
  onOrphaned?: (orphaned: OrphanedAssignments) => void;
  /** Each chat assigned, moved or released (once; a resume never repeats one): an agent's inbox keeps its chats with it. */
  onAssignment?: (event: AssignmentEvent) => void;
  /** Each step of an offer (offered, accepted, declined, missed), once: an agent's inbox shows its offers with their countdown. */
  onOffer?: (event: OfferEvent) => void;
  /** Each chat put in the waiting queue, cancelled or expired there (once; a resume never repeats one): a wallboard keeps the queue with it. */
  onQueue?: (event: QueueEvent) => void;
  /** Each change of the connection's state. */
  onState?: (state: ConnectionState) => void;
  /**
   * Each failure. The stream reconnects by itself after any failure, except when the key itself is
   * refused (401 or 403 on the ticket): then it stops, with state `stopped`.
   */
  onError?: (error: Error) => void;
  /** Another EventSource (tests). Defaults to the platform's, or the `eventsource` package on Node. */
  EventSource?: EventSourceConstructor;
  /** Another fetch for the ticket request. Defaults to the platform's. */
  fetch?: (request: Request) => Promise<Response>;
  /** Reconnect delays: from `initialMs` (500), doubling to `maxMs` (30,000), each a random half to all of it. */
  backoff?: Partial<Backoff>;
}

/**
 * Live presence of a chatbot's agents: gets a stream ticket, opens the stream, folds the snapshot
 * and each event into a map of agents, and after any failure (network, ticket refused, 429, 503,
 * a server restart) reconnects by itself with backoff and jitter, resuming after the last event it
 * applied, so nothing is missed or applied twice.
 *
 *   const stream = new PresenceStream({ baseUrl, chatbotId, apiKey, onChange: (agents) => render(agents) });
 *   stream.start();
 *   // later: stream.stop();
 */
export class PresenceStream {
  /** Every agent as now known, by agent id. */
  agents: ReadonlyMap<string, AgentEntry> = new Map();
  /** The id of the last event applied; a reconnect resumes after it. */
  lastEventId: number | null = null;
  private current: ConnectionState = 'stopped';
  private source: EventSourceLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private generation = 0;
  private readonly api: InboxClient;
  private readonly backoff: Backoff;

  constructor(private readonly options: WatchPresenceOptions) {
    this.api = createInboxClient({ baseUrl: options.baseUrl, apiKey: options.apiKey, ...(options.fetch ? { fetch: options.fetch } : {}) });
    this.backoff = { initialMs: 500, maxMs: 30_000, ...options.backoff };
  }

  /** The connection's state now. */
  get state(): ConnectionState {
    return this.current;
  }

  /** Opens the stream (again, after `stop`). */
  start(): this {
    if (this.current !== 'stopped') return this;
    this.failures = 0;
    void this.connect();
    return this;
  }

  /** Closes the stream for good; no reconnect follows. */
  stop(): void {
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.setState('stopped');
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.options.onState?.(state);
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.setState(this.failures === 0 ? 'connecting' : 'reconnecting');
    let ticket: string;
    try {
      const answer = await this.api.POST('/v1/inbox/{chatbotId}/agents/online/stream-tickets', { params: { path: { chatbotId: this.options.chatbotId } } });
      if (generation !== this.generation) return;
      if (!answer.data) {
        const error = apiError(answer.response.status, answer.error);
        if (error.status === 401 || error.status === 403) {
          this.options.onError?.(new Error(`the key was refused: ${error.code}`, { cause: error }));
          this.stop();
          return;
        }
        const wait = retryAfterMs(answer.response.headers.get('retry-after'));
        throw Object.assign(error, { retryAfterMs: wait });
      }
      ticket = answer.data.ticket;
    } catch (error) {
      if (generation === this.generation) this.fail(error);
      return;
    }
    const Source = this.options.EventSource ?? (await defaultEventSource());
    if (generation !== this.generation) return;
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}/v1/inbox/${encodeURIComponent(this.options.chatbotId)}/agents/online/stream`);
    url.searchParams.set('ticket', ticket);
    // Many changes at once (a team going idle together) come as one frame.
    url.searchParams.set('batch', 'true');
    if (this.lastEventId !== null) url.searchParams.set('since', String(this.lastEventId));
    const source = new Source(url.href);
    this.source = source;
    source.addEventListener('open', () => {
      if (generation === this.generation) this.setState('open');
    });
    // The platform's own retry would reuse a spent ticket: every failure closes and starts over.
    source.addEventListener('error', (event) => {
      if (generation !== this.generation) return;
      source.close();
      this.source = null;
      this.fail(new Error(`the stream failed${describe(event)}`));
    });
    source.addEventListener('snapshot', (event) => {
      if (generation !== this.generation) return;
      const { agents } = JSON.parse(event.data ?? '{}') as { agents: AgentEntry[] };
      this.agents = new Map(agents.map((agent) => [agent.agentId, agent]));
      this.applied(event.lastEventId);
    });
    // An event of this connection not applied before (a resume never applies one twice).
    const isNew = (event: { lastEventId?: string }) => {
      if (generation !== this.generation) return false;
      const id = Number(event.lastEventId);
      return this.lastEventId === null || !Number.isFinite(id) || id > this.lastEventId;
    };
    // One frame per delivery: every change of it, in order (a single `presence` event is one change).
    const fold = (event: { data?: string; lastEventId?: string }, changes: (data: unknown) => PresenceData[]) => {
      if (!isNew(event)) return;
      const next = new Map(this.agents);
      for (const { removed, ...entry } of changes(JSON.parse(event.data ?? '{}'))) {
        if (removed) next.delete(entry.agentId);
        else next.set(entry.agentId, entry as AgentEntry);
      }
      this.agents = next;
      this.applied(event.lastEventId);
    };
    source.addEventListener('batch', (event) => fold(event, (data) => (data as { agents: PresenceData[] }).agents));
    source.addEventListener('presence', (event) => fold(event, (data) => [data as PresenceData]));
    // Not a change of an agent: told on its own, and counted as applied so a resume goes past it.
    source.addEventListener('assignment.orphaned', (event) => {
      if (!isNew(event)) return;
      this.options.onOrphaned?.(JSON.parse(event.data ?? '{}') as OrphanedAssignments);
      this.applied(event.lastEventId, false);
    });
    for (const type of ASSIGNMENT_EVENTS) {
      source.addEventListener(type, (event) => {
        if (!isNew(event)) return;
        this.options.onAssignment?.({ ...(JSON.parse(event.data ?? '{}') as Omit<AssignmentEvent, 'type'>), type });
        this.applied(event.lastEventId, false);
      });
    }
    for (const type of OFFER_EVENTS) {
      source.addEventListener(type, (event) => {
        if (!isNew(event)) return;
        const data = JSON.parse(event.data ?? '{}') as Omit<OfferEvent, 'type'>;
        this.options.onOffer?.({ ...data, type });
        // Accepted, the chat is the agent's: an inbox that keeps chats with onAssignment keeps it too.
        if (type === 'assignment.accepted') this.options.onAssignment?.({ ...(data as Omit<AssignmentEvent, 'type'>), type });
        this.applied(event.lastEventId, false);
      });
    }
    for (const type of QUEUE_EVENTS) {
      source.addEventListener(type, (event) => {
        if (!isNew(event)) return;
        this.options.onQueue?.({ ...(JSON.parse(event.data ?? '{}') as Omit<QueueEvent, 'type'>), type });
        this.applied(event.lastEventId, false);
      });
    }
  }

  private applied(eventId: string | undefined, changed = true): void {
    const id = Number(eventId);
    if (eventId && Number.isSafeInteger(id)) this.lastEventId = id;
    this.failures = 0;
    this.setState('open');
    if (changed) this.options.onChange?.(this.agents);
  }

  private fail(error: unknown): void {
    this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    this.failures += 1;
    this.setState('reconnecting');
    // A 429 or 503 that says when to come back is honoured, capped by the longest backoff step.
    const asked = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
    const delay = Math.max(nextDelay(this.failures, this.backoff), typeof asked === 'number' ? Math.min(asked, this.backoff.maxMs) : 0);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }
}

/** Starts a `PresenceStream` and answers it; call `.stop()` to end it. */
export function watchPresence(options: WatchPresenceOptions): PresenceStream {
  return new PresenceStream(options).start();
}

async function defaultEventSource(): Promise<EventSourceConstructor> {
  const platform = (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
  if (platform) return platform;
  const module = await import('eventsource');
  return module.EventSource as unknown as EventSourceConstructor;
}

function describe(event: unknown): string {
  const fields = typeof event === 'object' && event !== null ? (event as { code?: unknown; message?: unknown }) : {};
  if (typeof fields.code === 'number') return ` (HTTP ${fields.code})`;
  if (typeof fields.message === 'string' && fields.message) return ` (${fields.message})`;
  return '';
}
