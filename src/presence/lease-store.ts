import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** A stream an instance held: the device (the agent's key) it kept alive. */
export interface HeldStream {
  chatbot_id: string;
  agent_id: string;
  key_id: string;
}

/**
 * Instance leases: each running instance holds a lease it renews; each stream it holds is
 * recorded against it (stream_holders). When an instance dies without a goodbye its lease
 * lapses, and one survivor (one conditional delete decides which) releases its streams: each
 * device's stream counts as closed at the dead instance's last renewal, so its grace runs from
 * there.
 */
export function leaseStore(db: Kysely<Database>) {
  return {
    register: async (id: string, at: number, leaseUntil: number) => {
      await db
        .insertInto('instances')
        .values({ id, started_at: at, renewed_at: at, lease_until: leaseUntil })
        .onConflict((oc) => oc.column('id').doUpdateSet({ renewed_at: at, lease_until: leaseUntil }))
        .execute();
    },

    /** Extends the instance's lease; false when survivors already declared it dead. */
    renew: async (id: string, at: number, leaseUntil: number): Promise<boolean> => {
      const result = await db.updateTable('instances').set({ renewed_at: at, lease_until: leaseUntil }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Instances whose lease ran out before `at`. */
    lapsed: (at: number) => db.selectFrom('instances').select(['id', 'renewed_at']).where('lease_until', '<', at).execute(),

    /**
     * Releases every stream an instance holds, each device's closing at `closedAt` ('last
     * renewal': the instance's), and removes the instance. For a lapsed lease (`lapsedBefore`
     * set), only if it is still lapsed: of several survivors exactly one claims a dead instance.
     * Null when this call did not claim it; otherwise the streams released (maybe none).
     */
    release: (id: string, closedAt: number | 'last renewal', lapsedBefore?: number): Promise<HeldStream[] | null> =>
      db.transaction().execute(async (trx) => {
        let query = trx.deleteFrom('instances').where('id', '=', id);
        if (lapsedBefore !== undefined) query = query.where('lease_until', '<', lapsedBefore);
        const gone = await query.returning('renewed_at').executeTakeFirst();
        if (!gone && lapsedBefore !== undefined) return null;
        const released = await trx.deleteFrom('stream_holders').where('instance_id', '=', id).returning(['chatbot_id', 'agent_id', 'key_id']).execute();
        const at = closedAt === 'last renewal' ? Number(gone?.renewed_at ?? 0) : closedAt;
        for (const stream of released) {
          // A later close (another instance's stream of the same key) stands.
          await trx
            .updateTable('device_liveness')
            .set({ closed_at: at })
            .where('chatbot_id', '=', stream.chatbot_id)
            .where('agent_id', '=', stream.agent_id)
            .where('key_id', '=', stream.key_id)
            .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '<', at)]))
            .execute();
        }
        return released;
      }),
  };
}

export type LeaseStore = ReturnType<typeof leaseStore>;

/** What the leases need of presence: to announce what released streams change, and to hold this instance's streams again. */
export interface LeaseHolder {
  /** Announces what follows from streams released (an instance's, at shutdown or after it died). */
  reconcileReleased(released: readonly HeldStream[]): Promise<void>;
  /** Judges every chatbot with a pending change (their deadlines were another instance's). */
  watchAllDeadlines(): Promise<void>;
  /** Records this instance's open streams again (after it was declared dead while unreachable). */
  holdOpenStreamsAgain(at: number): Promise<void>;
}

/**
 * This instance's lease: taken at start (releasing instances that died, this process before a
 * crash among them), renewed every quarter lease, and given back at shutdown. Only after this
 * instance has itself renewed without failure for a whole lease does it judge others by theirs:
 * an instance that could not reach the database either must not declare everyone dead.
 */
export function instanceLease(store: LeaseStore, holder: LeaseHolder, { instanceId, leaseMillis }: { instanceId: string; leaseMillis: number }, now: () => number) {
  /** Since when this instance has renewed its lease without failing (null: it is failing now). */
  let healthySince: number | null = null;

  /** Releases a dead instance's streams (if this instance is the one to claim it) and announces what follows; whether it claimed it. */
  async function releaseLapsed(id: string, at: number): Promise<boolean> {
    const released = await store.release(id, 'last renewal', at);
    if (released === null) return false;
    await holder.reconcileReleased(released);
    return true;
  }

  /** Claims every lapsed instance; when one was, its deadlines are this instance's to watch now. */
  async function takeOverLapsed(at: number): Promise<void> {
    let claimed = false;
    for (const lapsed of await store.lapsed(at)) if (await releaseLapsed(lapsed.id, at)) claimed = true;
    if (claimed) await holder.watchAllDeadlines();
  }

  return {
    /** Takes the lease, releases the streams of instances that died, and watches every pending deadline. */
    async start(): Promise<void> {
      const at = now();
      await store.register(instanceId, at, at + leaseMillis);
      healthySince = at;
      for (const lapsed of await store.lapsed(at)) await releaseLapsed(lapsed.id, at);
      await holder.watchAllDeadlines();
    },

    /** Every quarter lease: renews, and once healthy for a whole lease, takes over instances whose lease lapsed. */
    async renew(): Promise<void> {
      const at = now();
      let renewed: boolean;
      try {
        renewed = await store.renew(instanceId, at, at + leaseMillis);
      } catch (error) {
        healthySince = null;
        throw error;
      }
      if (!renewed) {
        // Declared dead while unreachable: register again and hold this instance's streams again.
        await store.register(instanceId, at, at + leaseMillis);
        await holder.holdOpenStreamsAgain(at);
      }
      healthySince ??= at;
      if (at - healthySince >= leaseMillis) await takeOverLapsed(at);
    },

    /** At shutdown: every device streaming here closes now, keeping its grace to reconnect elsewhere. */
    async release(): Promise<void> {
      const released = await store.release(instanceId, now());
      await holder.reconcileReleased(released ?? []);
    },
  };
}
