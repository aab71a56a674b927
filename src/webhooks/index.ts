import type { FastifyInstance } from 'fastify';
import type { OpenDatabase } from '../db/database.js';
import type { Services } from '../services.js';
import { webhookStore } from './store.js';
import { WebhookWorker } from './worker.js';

/**
 * Runs the webhook outbox in a serving process (PUSH_WORKER=false leaves sending, of pushes and
 * webhooks, to other instances): woken when a unit of work here queued messages, and by its own
 * poll for retries coming due and messages queued on other instances. (Woken by every
 * announcement, it ran a claim transaction per chatbot of a burst that had no webhooks at all.)
 */
export function installWebhookWorker(app: FastifyInstance, services: Services, database: OpenDatabase, now: () => number, enabled: boolean): void {
  if (!enabled) return;
  const worker = new WebhookWorker(webhookStore(database.db, database.dialect), services.webhookAllowedHosts, now, app.log);
  services.webhookOutbox.onQueued(() => worker.poke());
  app.addHook('onReady', async () => worker.start());
  app.addHook('preClose', async () => worker.stop());
}
