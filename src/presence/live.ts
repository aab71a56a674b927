import type { FastifyInstance } from 'fastify';
import type { OpenDatabase } from '../db/database.js';
import type { ServiceMetrics } from '../ops/metrics.js';
import type { Services } from '../services.js';
import { DeadlineSchedule, type Timers } from './deadlines.js';
import { PresenceHub } from './hub.js';
import { streamRoutes } from './stream-routes.js';
import type { StreamTickets } from './tickets.js';

export interface LiveSettings {
  /** Seconds between keep-alive comments on idle streams (at most 20 for proxies). */
  keepAliveSeconds: number;
  /** Milliseconds between checks for events logged by other processes (the admin CLI). */
  outsidePollMs: number;
  /** A stream reader further behind than this many bytes is disconnected (it resumes on reconnect). */
  maxBufferBytes: number;
  /** Milliseconds between renewals of this instance's lease (a quarter of the lease). */
  leaseRenewMs: number;
  /** Days availability history is kept after each interval ended (pruned hourly). */
  historyDays: number;
}

const HISTORY_PRUNE_MS = 3_600_000;

/** Chatbots whose due deadlines are judged at once (see reconcileDue). */
const DUE_CONCURRENCY = 2;
/** The most agents of one chatbot judged in one unit of work when their deadlines fall due together. */
const DUE_PART = 500;

/**
 * Makes presence live in a running service: the stream routes, delivery of events, expiry as
 * an event (a schedule of deadlines), keep-alives, and the hand-over at start and shutdown.
 * The admin CLI uses the same services without any of this.
 */
export async function installLivePresence(
  app: FastifyInstance,
  services: Services,
  database: OpenDatabase,
  tickets: StreamTickets,
  settings: LiveSettings,
  now: () => number,
  metrics: ServiceMetrics,
  timers?: Timers,
) {
  const { events } = services;
  const hub = new PresenceHub(events, app.log);
  const { presence } = services;
  // Deadlines due at one moment in many chatbots are judged a few chatbots at a time, so that
  // each chatbot's events are delivered as soon as it is judged rather than after all of them.
  const dueQueue: Array<[string, string[]]> = [];
  let dueRunning = 0;
  const runDue = () => {
    while (dueRunning < DUE_CONCURRENCY && dueQueue.length > 0) {
      const [chatbotId, agentIds] = dueQueue.shift()!;
      dueRunning++;
      void presence
        .reconcile(chatbotId, agentIds)
        .catch((error: unknown) => app.log.error({ err: error, chatbotId }, 'presence expiry failed'))
        .finally(() => {
          dueRunning--;
          // On SQLite a unit of work never waits on I/O, so a run of them would be one long
          // stretch of promise callbacks; the streams' writes (flushed on the next tick) would
          // leave only at its end. Going back to the event loop between chatbots sends them.
          setImmediate(runDue);
        });
    }
  };
  const reconcileDue = (chatbotId: string, agentIds: string[]) => {
    // A chatbot with thousands due at once is judged a part at a time, so its first changes are
    // on their way while the rest are judged. The parts follow the agents' order in the tables'
    // keys, so each unit of work writes a few neighbouring pages of each table rather than a
    // page here and there across all of them.
    const sorted = agentIds.length > DUE_PART ? [...agentIds].sort() : agentIds;
    for (let i = 0; i < sorted.length; i += DUE_PART) dueQueue.push([chatbotId, sorted.slice(i, i + DUE_PART)]);
    runDue();
  };
  presence.busyWhile(() => dueQueue.length > 0 || dueRunning > 0);
  const schedule = new DeadlineSchedule(reconcileDue, now, timers);
  presence.onDeadline((chatbotId, agentId, at) => schedule.schedule(chatbotId, agentId, at));
  presence.onAnnounced((chatbotId, logged) => {
    metrics.presenceEvents.inc(logged.length);
    hub.delivered(chatbotId, logged);
  });
  const logFailure = (message: string) => (error: unknown) => app.log.error({ err: error }, message);
  // Other instances announce too: their signals wake this instance's streams and deadlines.
  // A deleted chatbot's streams end (here, and on other instances through the signal).
  services.onChatbotDeleted((chatbotId) => hub.endChatbot(chatbotId));
  database.changes.onSignal((scope) => {
    if (scope.startsWith('events:')) hub.poke(scope.slice('events:'.length));
    else if (scope.startsWith('deleted:')) hub.endChatbot(scope.slice('deleted:'.length));
    else if (scope === 'liveness') void presence.watchAllDeadlines().catch(logFailure('taking over presence deadlines failed'));
  });

  const pendingCloses = new Set<Promise<void>>();
  await app.register(streamRoutes, {
    presence,
    events,
    hub,
    streams: services.streams,
    tickets,
    pendingCloses,
    maxBufferBytes: settings.maxBufferBytes,
    onSlowReaderDropped: () => metrics.slowStreamsDropped.inc(),
  });

  // Whether nothing of presence is under way here: no deadline being judged (presence.idle counts
  // them, busyWhile above), no stream closing, no unit of work waiting or running. Tests that
  // drive the clock wait for this before looking.
  const idle = () => pendingCloses.size === 0 && presence.idle();
  app.decorate('livePresence', {
    async settled() {
      while (!idle()) await new Promise((resolve) => setImmediate(resolve));
    },
  });

  const keepAlive = setInterval(() => hub.keepAlive(), settings.keepAliveSeconds * 1000);
  keepAlive.unref();
  // Events the admin CLI logs (members added or removed) reach this process's streams here, and
  // after a link to the other instances was down, whatever they logged meanwhile.
  let outsideSeen = database.changes.externalSequence();
  const outsidePoll = setInterval(() => {
    const current = database.changes.externalSequence();
    if (current === outsideSeen) return;
    outsideSeen = current;
    for (const chatbotId of hub.chatbotsWithSubscribers()) hub.poke(chatbotId);
  }, settings.outsidePollMs);
  outsidePoll.unref();

  let renewing = false;
  let leaseRenewal: NodeJS.Timeout | undefined;
  let historyPrune: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await presence.lease.start();
    leaseRenewal = setInterval(() => {
      if (renewing) return;
      renewing = true;
      void presence.lease
        .renew()
        .catch(logFailure('renewing the instance lease failed'))
        .finally(() => {
          renewing = false;
        });
    }, settings.leaseRenewMs);
    leaseRenewal.unref();
    // Every instance prunes; deleting what another already deleted costs nothing.
    historyPrune = setInterval(() => {
      void services.availability.prune(settings.historyDays).catch(logFailure('pruning availability history failed'));
      void presence.pruneDevices().catch(logFailure('forgetting long-dead devices failed'));
      void services.events.pruneAll().catch(logFailure('pruning the event logs failed'));
      void services.assignments.pruneEnded(settings.historyDays).catch(logFailure('pruning ended chats failed'));
    }, HISTORY_PRUNE_MS);
    historyPrune.unref();
  });
  app.addHook('preClose', async () => {
    clearInterval(keepAlive);
    clearInterval(outsidePoll);
    clearInterval(leaseRenewal);
    clearInterval(historyPrune);
    schedule.stop();
    // Streams end cleanly so clients reconnect (elsewhere); their agents keep the grace period.
    hub.endAll();
    await Promise.allSettled([...pendingCloses]);
    // Without the database, the lease lapses instead and the other instances release the streams.
    await presence.releaseAllStreams().catch(logFailure('releasing streams at shutdown failed; they are released when the lease lapses'));
  });
}
