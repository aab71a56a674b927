import { randomBytes } from 'node:crypto';
import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { installAuthHook, KEY_HEADER } from './auth/hook.js';
import { PERMISSIONS } from './auth/permissions.js';
import type { Config } from './config.js';
import type { OpenDatabase } from './db/database.js';
import { ErrorBody, installErrorHandler } from './errors.js';
import { AccessLogController, loggerOptions } from './logging.js';
import { notificationRoutes } from './notifications/routes.js';
import { connectRedis } from './db/redis.js';
import { opsRoutes, type ReadinessCheck } from './ops/routes.js';
import { installLivePresence, type LiveSettings } from './presence/live.js';
import { presenceRoutes } from './presence/routes.js';
import { installPush } from './push/index.js';
import type { WorkerSettings } from './push/worker.js';
import { streamTickets } from './presence/tickets.js';
import { createServices, type Services } from './services.js';

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
}

/** Builds the ready-to-listen application: plugins, hooks and routes, but no port. */
export async function buildApp({ config, database, now = Date.now, logger, live, push }: AppDependencies) {
  // Request ids unique across restarts and instances without per-request randomness: a random
  // prefix per process and a counter.
  const instancePrefix = randomBytes(6).toString('hex');
  let requestCount = 0;
  const app = Fastify({
    logger: logger ?? loggerOptions(config.logLevel),
    logController: new AccessLogController(),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => `${instancePrefix}-${(++requestCount).toString(36)}`,
    ajv: {
      // Strict types: "online": "true" is a string, not a boolean, and gets a 400.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON is the only body the API accepts; anything else is 415 rather than parsed as text.
  app.removeContentTypeParser(['text/plain']);
  // A callback-style hook: it runs on every request, and an async hook costs a promise each.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  installErrorHandler(app);
  app.addSchema(ErrorBody);

  // Browsers on other origins (an inbox web app) may call the API when the operator lists them.
  if (config.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.corsOrigins.includes('*') ? true : config.corsOrigins,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['content-type', KEY_HEADER, 'if-none-match', 'last-event-id', 'idempotency-key'],
      exposedHeaders: ['etag', 'x-request-id'],
      maxAge: 600,
    });
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Inbox agents API',
        version: '1.0.0',
        description:
          "Who of a chatbot's agents is online, each agent's own status, and each agent's notification settings. Every error body is `{ \"error\": \"...\", \"code\": \"...\" }`. Each route needs one permission on resource `chatbots/:chatbotId` (see `x-permission`); grants may end in `.*` or be `*`.",
      },
      components: {
        securitySchemes: {
          chatcaptainKey: { type: 'apiKey', in: 'header', name: KEY_HEADER, description: 'An agent key or a chatbot key (`cck_…`).' },
        },
      },
      tags: [
        { name: 'presence', description: 'Who is online' },
        { name: 'notifications', description: "An agent's own notification settings and devices, and browser notifications integrations send" },
        { name: 'operations', description: 'Health and readiness' },
      ],
      'x-permissions': [...PERMISSIONS],
    } as never,
    // Shared schemas appear under their own names (ErrorBody) rather than def-0.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    // The permission a route declares in its config is the one documented: one source of truth.
    transform: ({ schema, url, route }) => {
      const permission = route.config?.permission;
      if (!permission) return { schema, url };
      return {
        url,
        schema: {
          ...schema,
          security: [{ chatcaptainKey: [] }],
          'x-permission': permission,
          description: [`Required permission: \`${permission}\` on resource \`chatbots/:chatbotId\`.`, schema?.description].filter(Boolean).join('\n\n'),
        } as typeof schema,
      };
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const services = createServices(database, config, now);
  // The same services the routes use, for tests and embedding (one presence registry per app).
  app.decorate('services', services);
  const tickets = streamTickets(database.db, services.auth, now);
  installAuthHook(app, services.auth, tickets.redeem);
  const checks: ReadinessCheck[] = [{ name: 'the database', ping: database.ping }];
  if (config.redisUrl) {
    const redis = connectRedis(config.redisUrl, database.changes, app.log);
    checks.push({ name: 'Redis', ping: redis.ping });
    app.addHook('onClose', () => redis.close());
  }
  const pushing = await installPush(app, services, database, config, push ?? {}, now);
  app.decorate('push', pushing);
  await app.register(opsRoutes, { checks, details: () => ({ push: pushing.health.details() }) });
  await app.register(presenceRoutes, { presence: services.presence });
  await app.register(notificationRoutes, { notifications: services.notifications });
  await installLivePresence(
    app,
    services,
    database,
    tickets,
    { keepAliveSeconds: 15, outsidePollMs: 500, maxBufferBytes: 256 * 1024, leaseRenewMs: (config.instanceLeaseSeconds * 1000) / 4, ...live },
    now,
  );
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** The push worker and the push configuration's health. */
    push: Awaited<ReturnType<typeof installPush>>;
  }
}
