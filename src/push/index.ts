import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { OpenDatabase } from '../db/database.js';
import type { ServiceMetrics } from '../ops/metrics.js';
import type { Services } from '../services.js';
import { FcmSender, loadServiceAccount } from './fcm.js';
import { PushHealth } from './health.js';
import { PushHttp } from './http.js';
import { outboxStore } from './outbox.js';
import { pushRoutes } from './routes.js';
import { FALLBACK_SUBJECT, loadVapidKeys, WebPushSender } from './webpush.js';
import { DEFAULT_WORKER_SETTINGS, PushWorker, type WorkerSettings } from './worker.js';

/**
 * Makes pushes go out in a running service: the VAPID keys, the senders, the outbox worker
 * (started when the app is ready, stopped before it closes) and the push routes.
 */
export async function installPush(
  app: FastifyInstance,
  services: Services,
  database: OpenDatabase,
  config: Config,
  settings: Partial<WorkerSettings>,
  now: () => number,
  metrics: ServiceMetrics,
) {
  const vapid = await loadVapidKeys(database.db, config);
  if (vapid.subject === FALLBACK_SUBJECT) {
    app.log.warn('VAPID_SUBJECT is not set: some push services refuse pushes without a real mailto: address or https:// URL of the operator');
  }
  const account = loadServiceAccount(config);
  const concurrency = settings.concurrency ?? config.pushConcurrency;
  const http = new PushHttp(config.pushAllowedHosts, concurrency);
  const health = new PushHealth(app.log, { webpush: true, fcm: account !== null });
  const senders = {
    webpush: new WebPushSender(vapid, http, now),
    fcm: account ? new FcmSender(account, config.fcmEndpoint, config.fcmTokenUrl, http, now) : null,
  };
  const worker = new PushWorker(
    outboxStore(database.db, database.dialect),
    senders,
    health,
    { ...DEFAULT_WORKER_SETTINGS, ...settings, concurrency },
    now,
    app.log,
    (kind, outcome) => metrics.pushDeliveries.inc({ kind, outcome }),
  );

  services.push.onQueued(() => {
    worker.poke();
    // Other instances help drain a large notification.
    database.changes.signal('outbox');
  });
  database.changes.onSignal((scope) => {
    if (scope === 'outbox') worker.poke();
  });

  await app.register(pushRoutes, { push: services.push, vapidPublicKey: vapid.publicKey });
  if (config.pushWorker) app.addHook('onReady', async () => worker.start());
  app.addHook('preClose', () => worker.stop());
  app.addHook('onClose', async () => http.close());
  return { health, worker };
}
