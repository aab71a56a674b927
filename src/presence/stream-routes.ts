import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, errorResponses, PROTECTED_READ_ERRORS } from '../errors.js';
import { ChatbotParams } from '../http-schemas.js';
import type { EventLog } from './event-store.js';
import { sseFrame, type PresenceHub, type Subscriber } from './hub.js';
import type { CachedList } from './list-answers.js';
import type { PresenceService } from './service.js';
import type { StreamRegistry } from './streams.js';
import type { StreamTickets } from './tickets.js';

/** More open streams than this for one key answer 429: a runaway client must not exhaust the server. */
export const MAX_STREAMS_PER_KEY = 20;
/** How long a reader may stay past the buffer limit before it counts as slow (a burst is not slowness). */
const SLOW_READER_GRACE_MS = 1000;
/** A reader already this many times the limit behind when more comes is dropped at once: memory per stream stays bounded. */
const HARD_LIMIT_FACTOR = 8;

const StreamTicket = Type.Object(
  {
    ticket: Type.String({ description: 'Single-use, acts as the key that made it, only on this chatbot. Pass it as ?ticket=.' }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { title: 'StreamTicket' },
);

const StreamQuery = Type.Object({
  ticket: Type.Optional(Type.String({ maxLength: 200, description: 'A stream ticket, instead of the x-chatcaptain-key header (for EventSource).' })),
  since: Type.Optional(Type.String({ maxLength: 40, description: 'Resume after this event id (as the Last-Event-ID header does).' })),
  batch: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], {
      description:
        'true: changes come as `batch` events, one per delivery (a unit of work, or a read of the log), each `{"agents": [entry, …]}` in version order with the id of its last change; resuming from that id works as with single events. Without it (or false), one `presence` event per change.',
    }),
  ),
});

/** A resume point from Last-Event-ID or ?since; anything malformed means "send a snapshot". */
function resumePoint(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : null;
}

export interface StreamRouteDeps {
  presence: PresenceService;
  events: EventLog;
  hub: PresenceHub;
  streams: StreamRegistry;
  tickets: StreamTickets;
  /** Close handling still running, so shutdown can wait for it. */
  pendingCloses: Set<Promise<void>>;
  /** A reader further behind than this many bytes is dropped; it reconnects and resumes. */
  maxBufferBytes: number;
  /** Told each time a slow reader is dropped (metrics). */
  onSlowReaderDropped: () => void;
}

/** The live half of presence: the change stream and its tickets. */
export const streamRoutes: FastifyPluginAsyncTypebox<StreamRouteDeps> = async (
  app,
  { presence, events, hub, streams, tickets, pendingCloses, maxBufferBytes, onSlowReaderDropped },
) => {
  /**
   * The first stream of a chatbot in this process makes sure its announced state is current
   * (once, however many streams open at the same moment).
   */
  const primed = new Map<string, Promise<void>>();
  const prime = (chatbotId: string): Promise<void> => {
    let done = primed.get(chatbotId);
    if (!done) {
      done = presence.reconcile(chatbotId);
      primed.set(chatbotId, done);
      done.catch(() => primed.delete(chatbotId));
    }
    return done;
  };
  /**
   * The snapshot frame: the list exactly as GET agents/online answers it, read after the
   * chatbot's event version. Every event up to that version is in the list (read after it, not
   * taken from a cache another instance's change may not have reached yet); one after it comes
   * after the snapshot, and applying it again changes nothing (an event carries the whole entry).
   * The list, not the entries as last announced: a load change (activeChats) or a heartbeat is
   * no news on the stream, so an announced entry can be older than the list. Kept while the
   * version stands and the list cache still holds that list, and read once for a crowd of
   * clients connecting together.
   */
  const snapshots = new Map<string, { version: number; list: CachedList; frame: string }>();
  const reading = new Map<string, { version: number; promise: Promise<{ version: number; list: CachedList; frame: string }> }>();
  const snapshotFrame = async (chatbotId: string): Promise<{ version: number; frame: string }> => {
    const version = await events.currentVersion(chatbotId);
    const cached = snapshots.get(chatbotId);
    if (cached && cached.version === version && presence.lists.cached(chatbotId) === cached.list) return cached;
    const pending = reading.get(chatbotId);
    if (pending && pending.version === version) return pending.promise;
    const promise = presence.lists.fresh(chatbotId).then((list) => {
      const fresh = { version, list, frame: sseFrame('snapshot', version, list.body.toString('utf8')) };
      snapshots.set(chatbotId, fresh);
      return fresh;
    });
    reading.set(chatbotId, { version, promise });
    void promise
      .finally(() => {
        if (reading.get(chatbotId)?.promise === promise) reading.delete(chatbotId);
      })
      .catch(() => undefined);
    return promise;
  };

  app.post(
    '/v1/inbox/:chatbotId/agents/online/stream-tickets',
    {
      config: { permission: 'chatbots.inbox.agents.list', rateClass: 'tickets' },
      schema: {
        summary: 'Creates a short-lived ticket for opening the stream from a browser',
        description: `EventSource cannot send headers, and a long-lived key must never sit in a URL. The ticket lasts 60 s, works once, only on this chatbot, and acts as the key that made it (an agent key's stream keeps that agent alive).`,
        tags: ['presence'],
        operationId: 'createStreamTicket',
        params: ChatbotParams,
        response: { 201: { ...StreamTicket, description: 'A ticket for one stream opened within 60 s' }, ...errorResponses(...PROTECTED_READ_ERRORS) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return tickets.issue(request.principal!, request.params.chatbotId);
    },
  );

  app.get(
    '/v1/inbox/:chatbotId/agents/online/stream',
    {
      config: { permission: 'chatbots.inbox.agents.list', acceptsTicket: true, rateClass: 'reads', fieldRules: { batch: 'batch must be "true" or "false"' } },
      schema: {
        summary: "Streams changes of the agents' listed status (server-sent events)",
        description: [
          '`text/event-stream`. First a `snapshot` event (data: the same JSON as GET agents/online), then one `presence` event each time an agent\'s listed status (`online`, `connected`, `state`, `reason`, `statusText`, `statusUntil`) changes or a member is added or removed (data: that agent\'s entry; a removal has `"removed": true`).',
          "Every event has `id:` = the chatbot's event version, which only grows. Reconnecting with `Last-Event-ID` (or `?since=`) replays exactly the missed events, or sends a fresh snapshot when they are no longer kept (or the id is malformed).",
          'With `?batch=true`, changes come as `batch` events instead: one per delivery (the changes of one unit of work, or of one read of the log), data `{"agents": [entry, …]}` in version order, id the last change\'s version. A burst of changes (many agents idle at one moment) is then one frame per stream rather than one per change; resuming works the same.',
          'When assignments are used, an `assignment.orphaned` event says that an agent with open chats has been gone for the chatbot\'s reassignAfterSeconds: data `{"chatbotId", "agentId", "conversations": […], "moved": [{"conversationId", "agentId"}]}`, the same as its webhook\'s. Likewise `assignment.created` (a chat assigned: `{"chatbotId", "conversationId", "agentId", "agentName", "strategy", "assignedAt", "title", "preview", "arrivedAt", "priority", "requiredSkills", "skillStep"}`: the skills it was assigned under and which step of its requirement that was, 0 as asked), `assignment.transferred` (moved to another agent: the same without skillStep, and `"from"`; an orphaned chat\'s move comes before its `assignment.orphaned`) and `assignment.released` (`{"chatbotId", "conversationId", "agentId"}`); a chat put in the waiting queue, cancelled while it waited or expired as `assignment.waiting`, `assignment.cancelled`, `assignment.expired` (`{"chatbotId", "conversationId", "priority", "arrivedAt", "expiresAt", "maxWaitSeconds", "title", "preview", "requiredSkills", "skillSteps"}` with `cancelledAt` or `expiredAt`); when the chatbot asks its agents to accept (offerTimeoutSeconds), `assignment.offered` (the assignment.created data with `"offerExpiresAt"`), `assignment.accepted` (the same with `"acceptedAt"`), `assignment.declined` and `assignment.offer_missed` (`{"chatbotId", "conversationId", "agentId", "offeredAt"}` with `declinedAt` or `missedAt`), each once. Each has its own id in the same sequence (a batched stream sends it as a frame of its own between batches); a snapshot does not repeat it.',
          'A comment line at least every 15 s keeps proxies from closing the stream. A reader more than 256 KiB behind is disconnected and resumes on reconnect. At most 20 streams per key (429).',
          'Authenticate with the x-chatcaptain-key header, or `?ticket=` from POST .../stream-tickets. A stream made with an agent key keeps that agent alive; after its last stream closes, the agent stays listed for PRESENCE_GRACE_SECONDS.',
        ].join('\n\n'),
        tags: ['presence'],
        operationId: 'streamAgentsOnline',
        params: ChatbotParams,
        querystring: StreamQuery,
        response: {
          200: {
            description: 'An event stream: `snapshot`, then `presence` events (or `batch` events with ?batch=true), and the `assignment.*` events.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errorResponses(...PROTECTED_READ_ERRORS),
        },
      } as never,
    },
    async (request, reply) => {
      // HEAD says what a GET would answer, without opening (or counting) a stream.
      if (request.method === 'HEAD') return reply.code(200).header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache, no-transform').send();
      const principal = request.principal!;
      const { chatbotId } = request.params as { chatbotId: string };
      if (streams.openForKey(principal.keyId) >= MAX_STREAMS_PER_KEY) {
        throw new AppError('too_many_streams', `this key already has ${MAX_STREAMS_PER_KEY} open streams; close one first`);
      }
      const agentId = principal.kind === 'agent' ? principal.agentId : null;
      // Takes the slot synchronously, so concurrent opens cannot overshoot the limit.
      const opened = presence.streamOpened(principal.keyId, chatbotId, agentId);
      const release = () => {
        const closing = opened
          .then(() => presence.streamClosed(principal.keyId, chatbotId, agentId))
          .catch((error: unknown) => request.log.error({ err: error }, 'closing a stream failed'));
        pendingCloses.add(closing);
        void closing.finally(() => pendingCloses.delete(closing));
      };
      let start: { after: number; snapshot: string | null };
      let batched = false;
      try {
        await opened;
        await prime(chatbotId);
        const query = request.query as { since?: string; batch?: 'true' | 'false' };
        batched = query.batch === 'true';
        const header = request.headers['last-event-id'];
        const resumeFrom = resumePoint(typeof header === 'string' ? header : query.since);
        start = { after: -1, snapshot: null };
        if (resumeFrom !== null) {
          const current = await events.currentVersion(chatbotId);
          const oldest = await events.oldestKeptVersion(chatbotId);
          if (resumeFrom <= current && (resumeFrom === current || (oldest !== null && oldest <= resumeFrom + 1))) start.after = resumeFrom;
        }
        if (start.after < 0) {
          const snapshot = await snapshotFrame(chatbotId);
          start = { after: snapshot.version, snapshot: snapshot.frame };
        }
      } catch (error) {
        release();
        throw error;
      }

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        // Headers already set on the reply (CORS) still apply to the hijacked response.
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      raw.write('retry: 1000\n\n');
      if (start.snapshot) raw.write(start.snapshot);
      // A reader that stays more than maxBufferBytes behind for SLOW_READER_GRACE_MS is dropped,
      // so it can never slow the others or grow memory; it reconnects and resumes where it was.
      let slowCheck: NodeJS.Timeout | null = null;
      const drop = () => {
        request.log.warn({ chatbotId, buffered: raw.writableLength }, 'stream reader too slow; disconnecting it');
        onSlowReaderDropped();
        raw.destroy();
      };
      const subscriber: Subscriber = {
        after: start.after,
        batched,
        send(frames) {
          if (raw.destroyed) return;
          // Judged by what the reader had not taken before this write: one large frame (a
          // batch of thousands of changes) is not slowness, and its bytes are shared by every
          // stream it goes to.
          const behind = raw.writableLength;
          raw.write(frames);
          if (behind > maxBufferBytes * HARD_LIMIT_FACTOR) drop();
          else if (raw.writableLength > maxBufferBytes && !slowCheck) {
            slowCheck = setTimeout(() => {
              slowCheck = null;
              if (raw.writableLength > maxBufferBytes) drop();
            }, SLOW_READER_GRACE_MS);
            slowCheck.unref();
          }
        },
        end: () => raw.end(),
      };
      hub.subscribe(chatbotId, subscriber);
      raw.once('close', () => {
        if (slowCheck) clearTimeout(slowCheck);
        hub.unsubscribe(chatbotId, subscriber);
        release();
      });
    },
  );
};
