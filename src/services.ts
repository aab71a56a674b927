import { randomBytes } from 'node:crypto';
import { auditService } from './audit/service.js';
import { availabilityService } from './availability/service.js';
import { historyRecorder, historyStore } from './availability/store.js';
import { availabilityInputs } from './presence/inputs.js';
import { webhookService } from './webhooks/service.js';
import { webhookOutbox } from './webhooks/outbox.js';
import { webhookStore } from './webhooks/store.js';
import { keyService } from './auth/keys.js';
import { loginLinkService } from './auth/login-links.js';
import { authService } from './auth/service.js';
import { keyStore } from './auth/store.js';
import type { Config } from './config.js';
import type { OpenDatabase } from './db/database.js';
import { orphanWatch } from './assignments/orphans.js';
import { assignmentService } from './assignments/service.js';
import { invitationService } from './invitations/service.js';
import { notificationService } from './notifications/service.js';
import { notificationStore } from './notifications/store.js';
import { presenceService } from './presence/service.js';
import { pushService } from './push/service.js';
import { eventLog } from './presence/event-store.js';
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
  const events = eventLog(db, { kept: config.presenceEventsKept });
  const outbox = webhookOutbox(db);
  // What every announced change is recorded in, in the unit of work that announces it.
  const presence = presenceService(database, events, [historyRecorder(db, dialect), outbox], streams, changes, config, now, { instanceId });
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
  const push = pushService(db, { fcmConfigured: Boolean(config.fcmServiceAccountFile || config.fcmServiceAccountJson) }, now, (chatbotId) => presence.lists.intents(chatbotId));
  const tellFailedListeners: Array<(error: unknown, row: { chatbot_id: string; conversation_id: string; agent_id: string }) => void> = [];
  // A chat that becomes an agent's is told to the agent by a "New chat" push (assignments/notice.ts).
  const assignments = assignmentService(db, presence, audit, now, {
    tell: (chatbotId, pushes) =>
      push.notifyMany(
        chatbotId,
        pushes.map(({ body, idempotencyKey }) => ({ body, context: { keyId: null, idempotencyKey } })),
      ),
    failed: (error, row) => {
      for (const listener of tellFailedListeners) listener(error, row);
    },
  });
  const invitations = invitationService(
    db,
    tenancy,
    audit,
    {
      holdings: (principal, chatbotIds) => auth.holdings(principal, chatbotIds),
      holdingsOfKey: (x, keyId, chatbotIds) => auth.holdingsOfKey(x, keyId, chatbotIds),
      membershipChanged: (chatbotId, agentId) => presence.reconcile(chatbotId, [agentId]),
    },
    now,
  );
  return {
    tenancy,
    streams,
    auth,
    keys,
    // Invitations are opened as sign-in links are: the exchange asks them about a token no link has.
    loginLinks: loginLinkService(db, keys, tenancyRows, audit, changes, now, invitations.tokens),
    invitations,
    assignments,
    /** Open assignments of agents who left: announced (and moved) once across instances; app.ts sweeps every 5 s. */
    assignmentOrphans: orphanWatch(db, assignments, now),
    audit,
    /** Called with a chatbot deleted by this process (other instances hear `deleted:<id>`). */
    onChatbotDeleted: (listener: (chatbotId: string) => void) => chatbotDeletedListeners.push(listener),
    presence,
    availability: availabilityService(historyStore(db), now),
    availabilityInputs: availabilityInputs(presence, config, now),
    /** The per-chatbot event log the streams read. */
    events,
    /** Webhook messages queued with each announcement (the worker is woken when there are new ones). */
    webhookOutbox: outbox,
    /** Hosts webhooks may reach although not public (tests; PUSH_ALLOWED_HOSTS). */
    webhookAllowedHosts: config.pushAllowedHosts,
    webhooks: webhookService(webhookStore(db, dialect), { allowHttp: config.pushAllowHttp, allowedHosts: config.pushAllowedHosts }, now),
    notifications: notificationService(notificationStore(db), { allowHttp: config.pushAllowHttp, allowedHosts: config.pushAllowedHosts }, now),
    push,
    /** Called when queuing a "New chat" push failed (the sweep of untold assignments tries again). */
    onTellFailed: (listener: (error: unknown, row: { chatbot_id: string; conversation_id: string; agent_id: string }) => void) => tellFailedListeners.push(listener),
  };
}

export type Services = ReturnType<typeof createServices>;
