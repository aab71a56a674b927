import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ChangeTracker } from '../db/changes.js';
import type { ApiKeyTable, Database, KeyKind, LoginLinkTable, MemberRole } from '../db/schema.js';
import { afterCursor } from '../db/paging.js';
import type { Page } from '../http/paging.js';

export type KeyRow = Selectable<ApiKeyTable>;

/** SQL for API keys. Only hashes go in and out; secrets never reach this layer. */
export function keyStore(db: Kysely<Database>, changes: ChangeTracker) {
  return {
    insertKey: async (row: Insertable<ApiKeyTable>) => {
      await db.insertInto('api_keys').values(row).execute();
      changes.tenancyChanged();
    },

    /** The key whose current secret, or whose previous secret (after a rotation), has this hash. */
    findKeyByHash: async (secretHash: string): Promise<KeyRow | undefined> =>
      (await db.selectFrom('api_keys').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst()) ??
      (await db.selectFrom('api_keys').selectAll().where('previous_secret_hash', '=', secretHash).executeTakeFirst()),

    findKey: (id: string): Promise<KeyRow | undefined> => db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Marks a key revoked; keeps the first revocation time when revoked twice. */
    revokeKey: async (id: string, at: number) => {
      await db
        .updateTable('api_keys')
        .set({ revoked_at: at, previous_secret_hash: null, previous_valid_until: null })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      changes.tenancyChanged();
    },

    /** A new secret for the key; the current one becomes the previous, valid until `previousValidUntil`. */
    rotateKey: async (id: string, secretHash: string, secretHint: string, previousValidUntil: number): Promise<boolean> => {
      const result = await db
        .updateTable('api_keys')
        .set((eb) => ({ previous_secret_hash: eb.ref('secret_hash'), previous_valid_until: previousValidUntil, secret_hash: secretHash, secret_hint: secretHint }))
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      changes.tenancyChanged();
      return Number(result.numUpdatedRows) > 0;
    },

    insertLoginLink: async (row: Insertable<LoginLinkTable>) => {
      await db.insertInto('login_links').values(row).execute();
    },

    /**
     * Uses a sign-in link: one conditional write, so a link works once, however many browsers
     * open it at the same moment. The link, or undefined when it is unknown, used or expired.
     */
    useLoginLink: (tokenHash: string, at: number): Promise<Selectable<LoginLinkTable> | undefined> =>
      db
        .updateTable('login_links')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returningAll()
        .executeTakeFirst(),

    /** The agent's role in the chatbot, or undefined when not a member (read in the transaction that uses a link or an invitation). */
    roleIn: async (chatbotId: string, agentId: string): Promise<MemberRole | undefined> =>
      (await db.selectFrom('memberships').select('role').where('chatbot_id', '=', chatbotId).where('agent_id', '=', agentId).executeTakeFirst())?.role,

    /** Deletes links that expired before `before`; how many. */
    pruneLoginLinks: async (before: number): Promise<number> => Number((await db.deleteFrom('login_links').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows),

    /** Records when keys were used (to the minute; written in batches, see authService). */
    touchKeys: async (uses: ReadonlyArray<{ id: string; at: number }>) => {
      // One transaction: the batch is written whole or not at all (and costs one commit).
      await db.transaction().execute(async (x) => {
        for (const use of uses) await x.updateTable('api_keys').set({ last_used_at: use.at }).where('id', '=', use.id).execute();
      });
    },

    /** Keys in creation order, a page at a time (see http/paging.ts). */
    /**
     * Keys in creation order, a page at a time (see http/paging.ts): of a chatbot (its chatbot
     * keys and its members' agent keys), of one agent, or of one kind.
     */
    listKeys: (filter: { chatbotId?: string; agentId?: string; kind?: KeyKind }, page: Page): Promise<KeyRow[]> => {
      let query = db.selectFrom('api_keys').selectAll();
      if (filter.kind) query = query.where('kind', '=', filter.kind);
      if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
      if (filter.chatbotId !== undefined) {
        const { chatbotId } = filter;
        query = query.where((eb) =>
          eb.or([eb('chatbot_id', '=', chatbotId), eb('agent_id', 'in', eb.selectFrom('memberships').select('agent_id').where('chatbot_id', '=', chatbotId))]),
        );
      }
      return afterCursor(query, page, 'created_at', 'id').execute();
    },
  };
}

export type KeyStore = ReturnType<typeof keyStore>;
