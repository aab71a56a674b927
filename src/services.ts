import { randomBytes } from 'node:crypto';
import { auditService } from './audit/service.js';
import { availabilityService } from './availability/service.js';
import { historyStore } from './availability/store.js';
import { availabilityInputs } from './availability/inputs.js';
import { webhookService } from './webhooks/service.js';
import { webhookStore } from './webhooks/store.js';
import { keyService } from './auth/keys.js';
import { loginLinkService } from './auth/login-links.js';
import { authService } from './auth/service.js';
import { keyStore } from './auth/store.js';
import type { Config } from './config.js';
import type { OpenDatabase } from './db/database.js';
import { notificationService } from './notifications/service.js';
import { notificationStore } from './notifications/store.js';
import { presenceService } from './presence/service.js';
import { pushService } from './push/service.js';
import { eventStore } from './presence/event-store.js';
import { presenceStore } from './presence/store.js';
import { StreamRegistry } from './presence/streams.js';
import { tenancyService, tenancyStore } from './tenancy/index.js';

/** Wires stores to services. The HTTP app and the admin CLI both call these, nothing else. */
export function createServices(
  database: Pick<OpenDatabase, 'db' | 'changes' | 'dialect' | 'runPrepared' | 'section'>,
  config: Pick<
    Config,
    | 'presenceTtlSeconds'
    | 'presenceGraceSeconds'
    | 'presenceEventsKept'
    | 'maxClockAheadSeconds'
    | 'instanceLeaseSeconds'
    | 'pushAllowHttp'
    | 'pushAllowedHosts'
    | 'fcmServiceAccountFile'
    | 'fcmServiceAccountJson'
  >,
  now: () => number,
) {
  const streams = new StreamRegistry();
  // One id per process: its lease and the streams it holds are recorded under it.
  const instanceId = randomBytes(9).toString('base64url');
  const { db, changes, dialect } = database;
  const presenceRows = presenceStore(database);
  const presence = presenceService(presenceRows, eventStore(db), streams, changes, config, now, {
    instanceId,
    sharedDatabase: dialect === 'postgres',
  });
  const tenancyRows = tenancyStore(db, changes, dialect);
  const keyRows = keyStore(db, changes);
  const audit = auditService(db, now);
  const auth = authService(keyRows, tenancyRows, changes, now);
  const chatbotDeletedListeners: Array<(chatbotId: string) => void> = [];
  const tenancy = tenancyService(db, tenancyRows, changes, dialect, audit, now, {
    // A member added or removed is a presence event too, whoever makes the change (HTTP or CLI).
    membershipChanged: (chatbotId, agentId) => presence.reconcile(chatbotId, [agentId]),
    chatbotSettingsChanged: (chatbotId) => presence.reconcile(chatbotId),
    chatbotDeleted: async (chatbotId) => {
      for (const listener of chatbotDeletedListeners) listener(chatbotId);
      changes.signal(`deleted:${chatbotId}`);
    },
    holdings: (principal, chatbotIds) => auth.holdings(principal, chatbotIds),
  });
  const keys = keyService(db, keyRows, tenancyRows, auth, audit, changes, now);
  return {
    tenancy,
    streams,
    auth,
    keys,
    loginLinks: loginLinkService(db, keys, tenancyRows, audit, changes, now),
    audit,
    /** Called with a chatbot deleted by this process (other instances hear `deleted:<id>`). */
    onChatbotDeleted: (listener: (chatbotId: string) => void) => chatbotDeletedListeners.push(listener),
    presence,
    availability: availabilityService(historyStore(db), now),
    availabilityInputs: availabilityInputs(presence, presenceRows, config, now),
    /** Hosts webhooks may reach although not public (tests; PUSH_ALLOWED_HOSTS). */
    webhookAllowedHosts: config.pushAllowedHosts,
    webhooks: webhookService(webhookStore(db), { allowHttp: config.pushAllowHttp, allowedHosts: config.pushAllowedHosts }, now),
    notifications: notificationService(notificationStore(db), { allowHttp: config.pushAllowHttp, allowedHosts: config.pushAllowedHosts }, now),
    push: pushService(db, { fcmConfigured: Boolean(config.fcmServiceAccountFile || config.fcmServiceAccountJson) }, now, (chatbotId) => presence.intents(chatbotId)),
  };
}

export type Services = ReturnType<typeof createServices>;
