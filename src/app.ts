import { createServer, type Server } from 'node:http';
import fastifyCors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { availabilityRoutes } from './availability/routes.js';
import { inputRoutes } from './presence/input-routes.js';
import { consoleRoutes, loadConsole } from './console/routes.js';
import { downloadRoutes, loadSdkRelease } from './downloads/routes.js';
import { installWebhookWorker } from './webhooks/index.js';
import { webhookRoutes } from './webhooks/routes.js';
import { auditRoutes } from './audit/routes.js';
import { authHook } from './auth/hook.js';
import { keyRoutes } from './auth/key-routes.js';
import { loginLinkRoutes } from './auth/login-link-routes.js';
import { invitationRoutes } from './invitations/routes.js';
import { assignmentRoutes } from './assignments/routes.js';
import type { Config } from './config.js';
import type { OpenDatabase } from './db/database.js';
import { isDatabaseUnavailable } from './db/availability.js';
import { connectRedis } from './db/redis.js';
import { errorSchemas, installErrorHandler } from './errors.js';
import { clientErrorHandler, frameworkErrors, installExpectationHandler, MAX_PARAM_LENGTH, methodsByPath } from './http/edges.js';
import { corsPolicy } from './http/cors.js';
import { installRequestGate, markPublic } from './http/gate.js';
import { installJsonBodyParser } from './http/json-body.js';
import { installOpenApi } from './openapi.js';
import { rateLimits } from './http/rate-limits.js';
import { requestIds } from './http/request-ids.js';
import { AccessLogController, lazyRequestLogger, loggerOptions } from './logging.js';
import { notificationRoutes } from './notifications/routes.js';
import { repeatWithoutOverlap } from './ops/repeat.js';
import { exposeMetrics, ServiceMetrics } from './ops/metrics.js';
import { opsRoutes, type ReadinessCheck } from './ops/routes.js';
import type { Timers } from './presence/deadlines.js';
import { installLivePresence, type LiveSettings } from './presence/live.js';
import { listFastLane, type FastLane, type FastLaneDeps } from './presence/list-fast-lane.js';
import { activityFastLane } from './presence/activity-fast-lane.js';
import { presenceRoutes } from './presence/routes.js';
import { streamTickets } from './presence/tickets.js';
import { installPush } from './push/index.js';
import { outboxStore } from './push/outbox.js';
import type { WorkerSettings } from './push/worker.js';
import { createServices, type Services } from './services.js';
import { tenancyRoutes } from './tenancy/routes.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface AppDependencies {
  config: Config;
  database: OpenDatabase;
  /** The server clock, epoch ms. Tests pass their own to move time without sleeping. */
  now?: () => number;
  /** Fastify logger options; defaults to JSON logs at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
  /** Stream timing; tests shorten it. */
  live?: Partial<LiveSettings>;
  /** Push worker timing (backoff, polling); tests shorten it. */
  push?: Partial<WorkerSettings>;
  /** The timers presence deadlines wait with; a test with its own clock drives them (see test/helpers/virtual-clock.ts). */
  timers?: Timers;
}

/** Builds the ready-to-listen application: plugins, hooks and routes, but no port. */
export async function buildApp({ config, database, now = Date.now, logger, live, push, timers }: AppDependencies) {
  const requestId = requestIds();
  const cors = corsPolicy(config.corsOrigins);
  // Made first: Fastify's log controller feeds the request metrics.
  let metrics: ServiceMetrics | undefined;
  // The list's fast lane (see presence/list-fast-lane.ts), in front of Fastify once the services exist.
  let fastLane: FastLane | null = null;
  const app = Fastify({
    serverFactory: (handler) => {
      const server = createServer((request, response) => {
        if (fastLane === null || !fastLane(request, response)) handler(request, response);
      });
      // As Fastify sets up its own server.
      server.keepAliveTimeout = 72_000;
      return server;
    },
    logger: logger ?? loggerOptions(config.logLevel),
    logController: new AccessLogController(config.metrics ? (method, route, status, seconds) => metrics?.observeRequest(method, route, status, seconds) : undefined),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestId,
    // A hop count is valid here (proxy-addr), though the type leaves it out.
    trustProxy: config.trustProxy as boolean | string[],
    // Every answer below the routes is {error, code} too (see http/edges.ts).
    clientErrorHandler: clientErrorHandler(requestId.ours),
    frameworkErrors,
    // Requests during shutdown are refused by the hook below, with the usual body.
    return503OnClosing: false,
    // Ids longer than the schemas allow are refused by the schemas, naming the field.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    ajv: {
      // Strict types: "online": "true" is a string, not a boolean, and gets a 400.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  installExpectationHandler(app.server as Server, requestId);

  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  // JSON is the only body the API accepts; anything else is 415 rather than parsed as text.
  app.removeContentTypeParser(['text/plain']);
  installJsonBodyParser(app);
  // An unreachable database is a 503 to retry, not a 500 (the database layer knows its errors).
  installErrorHandler(app, methodsByPath(app), isDatabaseUnavailable);
  for (const schema of errorSchemas()) app.addSchema(schema);

  const services = createServices(database, config, now);
  // The same services the routes use, for tests and embedding (one presence registry per app).
  app.decorate('services', services);
  // Key uses not yet written (they are batched, to the minute) are written before the database closes.
  app.addHook('onClose', async () => {
    await services.auth.flushUses();
    services.auth.stopUses();
  });
  services.auth.onUsesFailed((error, keyIds) => app.log.warn({ err: error, keyIds }, 'recording when keys were last used failed; it is tried again'));
  services.onTellFailed((error, row) =>
    app.log.warn(
      { err: error, chatbotId: row.chatbot_id, conversationId: row.conversation_id, agentId: row.agent_id },
      'queuing the "New chat" push failed; the sweep tries again',
    ),
  );
  const outbox = outboxStore(database.db, database.dialect);
  const serviceMetrics = new ServiceMetrics({
    openStreams: () => services.streams.openCount(),
    keyLookups: () => services.auth.stats.keyLookups,
    outbox: () => outbox.stats(now()),
    pool: () => database.poolStats(),
  });
  metrics = serviceMetrics;
  app.decorate('metrics', serviceMetrics);

  const checks: ReadinessCheck[] = [{ name: 'the database', ping: database.ping }];
  const redis = config.redisUrl ? connectRedis(config.redisUrl, database.changes, app.log) : null;
  if (redis) {
    checks.push({ name: 'Redis', ping: redis.ping });
    app.addHook('onClose', () => redis.close());
  }
  const limits = rateLimits(
    {
      reads: config.rateLimitReads,
      status: config.rateLimitStatus,
      settings: config.rateLimitSettings,
      notify: config.rateLimitNotify,
      test_push: config.rateLimitTestPush,
      tickets: config.rateLimitTickets,
      admin: config.rateLimitAdmin,
      assignments: config.rateLimitAssignments,
      unauthenticated: config.rateLimitUnauthenticated,
    },
    { redis: redis?.client ?? null, onLimited: (rateClass) => serviceMetrics.rateLimited.inc({ class: rateClass }) },
  );
  const tickets = streamTickets(database.db, services.auth, now);
  const laneDeps: FastLaneDeps = {
    auth: services.auth,
    limits,
    presence: services.presence,
    observe: config.metrics ? (method, route, status, seconds) => serviceMetrics.observeRequest(method, route, status, seconds) : () => {},
    isClosing: () => closing,
    requestId,
    cors,
    // Fastify's null logger (logging off, in tests) has no isLevelEnabled: then nothing is logged.
    logsEveryRequest: (app.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('debug') ?? false,
  };
  const lane = listFastLane(laneDeps);
  const activityLane = activityFastLane(laneDeps);
  fastLane = (request, response) => lane(request, response) || activityLane(request, response);
  app.decorate('listFastLane', lane);
  app.decorate('activityFastLane', activityLane);
  // Before any route: every route gets its gate as it is registered.
  installRequestGate(app, { isClosing: () => closing, accessCheck: authHook(services.auth, tickets.redeem, limits) });

  // Browsers on other origins (an inbox web app) may call the API when the operator lists them.
  if (cors) {
    // The plugin answers preflights in its own hook; its catch-all OPTIONS route needs no key.
    markPublic(app, (route) => route.method === 'OPTIONS' && route.url === '*');
    await app.register(fastifyCors, cors.options);
  }
  await installOpenApi(app, { publicUrl: config.publicUrl });

  const pushing = await installPush(app, services, database, config, push ?? {}, now, serviceMetrics);
  app.decorate('push', pushing);
  await app.register(opsRoutes, { checks, details: () => ({ push: pushing.health.details() }), isClosing: () => closing });
  await app.register(presenceRoutes, { presence: services.presence });
  await app.register(notificationRoutes, { notifications: services.notifications });
  await app.register(tenancyRoutes, { tenancy: services.tenancy });
  await app.register(keyRoutes, { keys: services.keys });
  await app.register(loginLinkRoutes, { loginLinks: services.loginLinks, keys: services.keys, limits, publicUrl: config.publicUrl });
  await app.register(invitationRoutes, { invitations: services.invitations, publicUrl: config.publicUrl });
  await app.register(auditRoutes, { audit: services.audit });
  await app.register(inputRoutes, { inputs: services.availabilityInputs });
  await app.register(assignmentRoutes, { assignments: services.assignments, limits });
  await app.register(availabilityRoutes, { availability: services.availability });
  await app.register(webhookRoutes, { webhooks: services.webhooks });
  await app.register(consoleRoutes, { files: loadConsole() });
  await app.register(downloadRoutes, { files: loadSdkRelease() });
  installWebhookWorker(app, services, database, now, config.pushWorker);
  // Orphaned assignments, swept 5 s after the sweep before ended on every instance (never two
  // at once; each orphan is decided and claimed under its chatbot's lock, so announced once).
  const orphans = repeatWithoutOverlap(
    async () => {
      await services.assignmentOrphans.sweep();
      // And "New chat" pushes a crash left unqueued (each queued once: its idempotency key).
      await services.assignments.tellUntold();
    },
    5000,
    (error) => app.log.error({ err: error }, 'the sweep of orphaned assignments failed'),
  );
  app.addHook('onClose', () => orphans.stop());
  // The waiting queue: chats whose wait ran out expire within a second (each once, under its
  // chatbot's lock), and chats whose required skills relax (a step due) are judged again within
  // a second; and a backstop drain every 5 s, since capacity that frees drains the queue in the
  // unit that frees it.
  const expiries = repeatWithoutOverlap(
    async () => {
      await services.assignments.expireDue();
      await services.assignments.relaxDue();
    },
    1000,
    (error) => app.log.error({ err: error }, 'expiring waiting chats failed'),
  );
  // Offers that lapsed move on within a second of their deadline (each once, under its chatbot's
  // lock, whichever instance sweeps first; after a restart, the first sweep finds them).
  const offers = repeatWithoutOverlap(
    () => services.assignments.expireOffers(),
    250,
    (error) => app.log.error({ err: error }, 'passing on lapsed offers failed'),
  );
  app.addHook('onClose', () => offers.stop());
  const backstop = repeatWithoutOverlap(
    () => services.assignments.drainWaiting(),
    5000,
    (error) => app.log.error({ err: error }, 'the backstop drain of waiting chats failed'),
  );
  app.addHook('onClose', async () => {
    await Promise.all([expiries.stop(), backstop.stop()]);
  });
  await installLivePresence(
    app,
    services,
    database,
    tickets,
    {
      keepAliveSeconds: 15,
      outsidePollMs: 500,
      maxBufferBytes: 256 * 1024,
      leaseRenewMs: (config.instanceLeaseSeconds * 1000) / 4,
      historyDays: config.historyDays,
      ...live,
    },
    now,
    serviceMetrics,
    timers,
  );
  const metricsServer = await exposeMetrics(app, serviceMetrics, { token: config.metricsToken, port: config.metricsPort, host: config.metricsHost });
  if (metricsServer) {
    app.decorate('metricsServer', metricsServer);
    app.addHook('onClose', (_instance, done) => {
      metricsServer.close(() => done());
      metricsServer.closeAllConnections();
    });
  }
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** The push worker and the push configuration's health. */
    push: Awaited<ReturnType<typeof installPush>>;
    metrics: ServiceMetrics;
    /** Resolves once nothing of presence is under way here (presence/live.ts). */
    livePresence: { settled(): Promise<void> };
    /** The agent list's fast lane (presence/list-fast-lane.ts); `served` counts what it answered. */
    listFastLane: { served: number };
    activityFastLane: { served: number };
    /** The separate metrics port's server, when METRICS_PORT is set. */
    metricsServer?: Server;
  }
}
