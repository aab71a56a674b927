import type { FastifyInstance } from 'fastify';
import type { OpenDatabase } from '../db/database.js';
import type { Services } from '../services.js';
import { webhookStore } from './store.js';
import { WebhookWorker } from './worker.js';

/**
 * Runs the webhook outbox in a serving process (PUSH_WORKER=false leaves sending, of pushes and
 * webhooks, to other instances): woken by every announcement here, and by its own poll for
 * retries coming due and messages queued on other instances.
 */
export function installWebhookWorker(app: FastifyInstance, services: Services, database: OpenDatabase, now: () => number, enabled: boolean): void {
  if (!enabled) return;
  const worker = new WebhookWorker(webhookStore(database.db), services.webhookAllowedHosts, now, app.log);
  services.presence.onAnnounced(() => worker.poke());
  app.addHook('onReady', async () => worker.start());
  app.addHook('preClose', async () => worker.stop());
}
