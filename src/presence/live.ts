import type { FastifyInstance } from 'fastify';
import type { OpenDatabase } from '../db/database.js';
import type { Services } from '../services.js';
import { DeadlineSchedule } from './deadlines.js';
import { eventStore } from './event-store.js';
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
}

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
) {
  const events = eventStore(database.db);
  const hub = new PresenceHub(events, app.log);
  const { presence } = services;
  const reconcileDue = (chatbotId: string, agentIds: string[]) =>
    void presence.reconcile(chatbotId, agentIds).catch((error: unknown) => app.log.error({ err: error, chatbotId }, 'presence expiry failed'));
  const schedule = new DeadlineSchedule(reconcileDue, now);
  presence.onDeadline((chatbotId, agentId, at) => schedule.schedule(chatbotId, agentId, at));
  presence.onAnnounced((chatbotId) => hub.poke(chatbotId));

  const pendingCloses = new Set<Promise<void>>();
  await app.register(streamRoutes, { presence, events, hub, streams: services.streams, tickets, pendingCloses, maxBufferBytes: settings.maxBufferBytes });

  const keepAlive = setInterval(() => hub.keepAlive(), settings.keepAliveSeconds * 1000);
  keepAlive.unref();
  // Events the admin CLI logs (members added or removed) reach this process's streams here.
  let outsideSeen = database.changes.externalSequence();
  const outsidePoll = setInterval(() => {
    const current = database.changes.externalSequence();
    if (current === outsideSeen) return;
    outsideSeen = current;
    for (const chatbotId of hub.chatbotsWithSubscribers()) hub.poke(chatbotId);
  }, settings.outsidePollMs);
  outsidePoll.unref();

  app.addHook('onReady', async () => {
    await presence.resumeAfterStart();
  });
  app.addHook('preClose', async () => {
    clearInterval(keepAlive);
    clearInterval(outsidePoll);
    schedule.stop();
    // Streams end cleanly so clients reconnect (elsewhere); their agents keep the grace period.
    hub.endAll();
    await Promise.allSettled([...pendingCloses]);
    await presence.releaseAllStreams();
  });
}
