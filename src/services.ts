import { authService } from './auth/service.js';
import { keyStore } from './auth/store.js';
import type { Config } from './config.js';
import type { OpenDatabase } from './db/database.js';
import { notificationService } from './notifications/service.js';
import { notificationStore } from './notifications/store.js';
import { presenceService } from './presence/service.js';
import { presenceStore } from './presence/store.js';
import { tenancyService, tenancyStore } from './tenancy/index.js';

/** Wires stores to services. The HTTP app and the admin CLI both call these, nothing else. */
export function createServices({ db, changes }: Pick<OpenDatabase, 'db' | 'changes'>, config: Pick<Config, 'presenceTtlSeconds' | 'maxClockAheadSeconds'>, now: () => number) {
  const tenancyRows = tenancyStore(db, changes);
  const tenancy = tenancyService(tenancyRows, now);
  return {
    tenancy,
    auth: authService(keyStore(db, changes), tenancyRows, tenancy, changes, now),
    presence: presenceService(presenceStore(db, changes), changes, config, now),
    notifications: notificationService(notificationStore(db), now),
  };
}

export type Services = ReturnType<typeof createServices>;
