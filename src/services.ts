import { authService } from './auth/service.js';
import { keyStore } from './auth/store.js';
import type { Config } from './config.js';
import type { OpenDatabase } from './db/database.js';
import { notificationService } from './notifications/service.js';
import { notificationStore } from './notifications/store.js';
import { presenceService } from './presence/service.js';
import { eventStore } from './presence/event-store.js';
import { presenceStore } from './presence/store.js';
import { StreamRegistry } from './presence/streams.js';
import { tenancyService, tenancyStore } from './tenancy/index.js';

/** Wires stores to services. The HTTP app and the admin CLI both call these, nothing else. */
export function createServices({ db, changes }: Pick<OpenDatabase, 'db' | 'changes'>, config: Pick<Config, 'presenceTtlSeconds' | 'presenceGraceSeconds' | 'presenceEventsKept' | 'maxClockAheadSeconds'>, now: () => number) {
  const streams = new StreamRegistry();
  const presence = presenceService(presenceStore(db, changes), eventStore(db), streams, changes, config, now);
  const tenancyRows = tenancyStore(db, changes);
  // A member added or removed is a presence event too, whoever makes the change (HTTP or CLI).
  const tenancy = tenancyService(tenancyRows, now, (chatbotId, agentId) => presence.reconcile(chatbotId, [agentId]));
  return {
    tenancy,
    streams,
    auth: authService(keyStore(db, changes), tenancyRows, tenancy, changes, now),
    presence,
    notifications: notificationService(notificationStore(db), now),
  };
}

export type Services = ReturnType<typeof createServices>;
