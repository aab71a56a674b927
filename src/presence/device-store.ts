import { sql, type Kysely } from 'kysely';
import { later } from '../db/later.js';
import { prepareQuery, prepareRows, type Run } from '../db/prepared.js';
import type { Database } from '../db/schema.js';

/** A sign of life posted with a key (a device): a status, a chosen status, activity. */
export interface SignOfLife {
  chatbot_id: string;
  agent_id: string;
  key_id: string;
  at: number;
}

/** One device: an agent's key in a chatbot. */
type Device = { chatbot_id: string; agent_id: string; key_id: string };
type ChatbotAgent = { chatbot_id: string; agent_id: string };

/**
 * SQL of each device's liveness inputs (see liveness.ts): its newest post, the streams instances
 * hold of it (stream_holders) and when its last one closed, from which its grace runs. Every
 * statement is prepared once; a unit of work runs them through its `run`.
 */
export function deviceStore(db: Kysely<Database>) {
  const q = {
    // Each device's newest post stands (posts of one key may arrive out of order).
    postRows: prepareRows<never, SignOfLife>(db, { chatbot_id: 'text', agent_id: 'text', key_id: 'text', at: 'bigint' }, (rows) =>
      db
        .insertInto('device_liveness')
        .columns(['chatbot_id', 'agent_id', 'key_id', 'posted_at'])
        .expression(
          // Only members' devices: a report kept in memory may be written after its agent left.
          (db as unknown as Kysely<{ r: SignOfLife; memberships: Database['memberships'] }>)
            .selectFrom(rows.as('r') as never)
            .innerJoin('memberships as m', (join) => join.onRef('m.chatbot_id', '=', 'r.chatbot_id' as never).onRef('m.agent_id', '=', 'r.agent_id' as never))
            .select(['r.chatbot_id', 'r.agent_id', 'r.key_id', 'r.at as posted_at'] as never)
            .where(sql<boolean>`true`),
        )
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'agent_id', 'key_id']).doUpdateSet((eb) => ({
            posted_at: later(eb, 'device_liveness', 'posted_at'),
          })),
        ),
    ),
    // The device's row, so that the stream it holds is read with it (see member-store.ts).
    deviceSeen: prepareQuery<never, Device>(db, ['chatbot_id', 'agent_id', 'key_id'], (v) =>
      db
        .insertInto('device_liveness')
        .values(v)
        .onConflict((oc) => oc.doNothing()),
    ),
    holdStream: prepareQuery<never, Device & { instance_id: string; opened_at: number }>(db, ['chatbot_id', 'agent_id', 'key_id', 'instance_id', 'opened_at'], (v) =>
      db
        .insertInto('stream_holders')
        .values(v)
        .onConflict((oc) => oc.doNothing()),
    ),
    releaseStream: prepareQuery<never, Device & { instance_id: string }>(db, ['chatbot_id', 'agent_id', 'key_id', 'instance_id'], (v) =>
      db
        .deleteFrom('stream_holders')
        .where('chatbot_id', '=', v.chatbot_id)
        .where('agent_id', '=', v.agent_id)
        .where('key_id', '=', v.key_id)
        .where('instance_id', '=', v.instance_id),
    ),
    // A device's last stream closed: the grace runs from the latest close of any instance.
    deviceClosed: prepareQuery<never, Device & { closed_at: number }>(db, ['chatbot_id', 'agent_id', 'key_id', 'closed_at'], (v) =>
      db
        .insertInto('device_liveness')
        .values(v)
        .onConflict((oc) =>
          oc.columns(['chatbot_id', 'agent_id', 'key_id']).doUpdateSet((eb) => ({
            closed_at: later(eb, 'device_liveness', 'closed_at'),
          })),
        ),
    ),
    streamSeen: prepareQuery<never, ChatbotAgent & { seen_at: number }>(db, ['chatbot_id', 'agent_id', 'seen_at'], (v) =>
      db
        .insertInto('stream_liveness')
        .values(v)
        .onConflict((oc) => oc.columns(['chatbot_id', 'agent_id']).doUpdateSet((eb) => ({ seen_at: eb.ref('excluded.seen_at') }))),
    ),
  };

  return {
    /** Records signs of life posted with keys (distinct devices), each device's newest standing. */
    postSignsOfLife: async (run: Run, posts: readonly SignOfLife[]): Promise<void> => {
      await run.write(q.postRows, posts);
    },

    /** This instance now holds an open stream of the agent's key. */
    holdStream: async (run: Run, device: Device, instanceId: string, at: number) => {
      await run.write(q.deviceSeen, device);
      await run.write(q.holdStream, { ...device, instance_id: instanceId, opened_at: at });
      await run.write(q.streamSeen, { chatbot_id: device.chatbot_id, agent_id: device.agent_id, seen_at: at });
    },

    /** This instance's last stream of the key closed: the device's grace starts. */
    releaseStream: async (run: Run, device: Device, instanceId: string, at: number) => {
      await run.write(q.releaseStream, { ...device, instance_id: instanceId });
      await run.write(q.deviceClosed, { ...device, closed_at: at });
      await run.write(q.streamSeen, { chatbot_id: device.chatbot_id, agent_id: device.agent_id, seen_at: at });
    },

    /**
     * Deletes devices long dead, so the rows a unit of work reads stay few: no stream held, no
     * post since `postedBefore` and no close since `closedBefore` (the caller keeps both well
     * past the TTL and the grace). How many.
     */
    pruneDevices: async ({ postedBefore, closedBefore }: { postedBefore: number; closedBefore: number }): Promise<number> => {
      const result = await db
        .deleteFrom('device_liveness')
        .where((eb) => eb.or([eb('posted_at', 'is', null), eb('posted_at', '<', postedBefore)]))
        .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '<', closedBefore)]))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('stream_holders as h')
                .select('h.key_id')
                .whereRef('h.chatbot_id', '=', 'device_liveness.chatbot_id')
                .whereRef('h.agent_id', '=', 'device_liveness.agent_id')
                .whereRef('h.key_id', '=', 'device_liveness.key_id'),
            ),
          ),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type DeviceStore = ReturnType<typeof deviceStore>;
