import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001_initial.js';
import * as livePresence from './migrations/002_live_presence.js';
import * as instances from './migrations/003_instances.js';
import * as push from './migrations/004_push.js';
import * as provisioning from './migrations/005_provisioning.js';
import * as availability from './migrations/006_availability.js';
import * as history from './migrations/007_history.js';
import * as workingHours from './migrations/008_working_hours.js';
import * as webhooks from './migrations/009_webhooks.js';
import * as openIntervals from './migrations/010_open_intervals.js';
import * as loginLinks from './migrations/011_login_links.js';
import * as deviceLiveness from './migrations/012_device_liveness.js';
import * as invitations from './migrations/013_invitations.js';
import * as assignments from './migrations/014_assignments.js';
import * as streamEvents from './migrations/015_stream_events.js';
import * as assignmentTitles from './migrations/016_assignment_titles.js';
import * as waitingQueue from './migrations/017_waiting_queue.js';
import * as skills from './migrations/018_skills.js';
import * as skillSteps from './migrations/019_skill_steps.js';
import * as offers from './migrations/020_offers.js';

/** Numbered, forward-only migrations, the same for both dialects, run at every start. */
const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '002_live_presence': livePresence,
  '003_instances': instances,
  '004_push': push,
  '005_provisioning': provisioning,
  '006_availability': availability,
  '007_history': history,
  '008_working_hours': workingHours,
  '009_webhooks': webhooks,
  '010_open_intervals': openIntervals,
  '011_login_links': loginLinks,
  '012_device_liveness': deviceLiveness,
  '013_invitations': invitations,
  '014_assignments': assignments,
  '015_stream_events': streamEvents,
  '016_assignment_titles': assignmentTitles,
  '017_waiting_queue': waitingQueue,
  '018_skills': skills,
  '019_skill_steps': skillSteps,
  '020_offers': offers,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies pending migrations (up to `upTo`, a migration's name, for tests of a migration); throws naming the one that failed. */
export async function migrate(db: Kysely<any>, upTo?: string): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await (upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo));
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`);
  }
}
