import type { Insertable, Kysely, Selectable } from 'kysely';
import { afterCursor } from '../db/paging.js';
import type { Database, InvitationTable } from '../db/schema.js';
import type { Page } from '../http/paging.js';

export type InvitationRow = Selectable<InvitationTable>;

/** SQL for invitations. Only the token's hash goes in and out. `x` is the transaction a change runs in. */
export function invitationStore(db: Kysely<Database>) {
  return {
    insert: async (row: Insertable<InvitationTable>, x: Kysely<Database> = db) => {
      await x.insertInto('invitations').values(row).execute();
    },

    /** Revokes the chatbot's pending invitations of this e-mail address (a new invitation replaces them); their ids. */
    revokePendingFor: async (chatbotId: string, email: string, at: number, x: Kysely<Database>): Promise<string[]> =>
      (
        await x
          .updateTable('invitations')
          .set({ revoked_at: at })
          .where('chatbot_id', '=', chatbotId)
          .where('email', '=', email)
          .where('used_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', at)
          .returning('id')
          .execute()
      ).map((row) => row.id),

    find: (chatbotId: string, id: string, x: Kysely<Database> = db): Promise<InvitationRow | undefined> =>
      x.selectFrom('invitations').selectAll().where('chatbot_id', '=', chatbotId).where('id', '=', id).executeTakeFirst(),

    /** Marks it revoked unless it was used or revoked already; whether it was pending then. */
    revoke: async (chatbotId: string, id: string, at: number, x: Kysely<Database>): Promise<boolean> =>
      Number(
        (
          await x
            .updateTable('invitations')
            .set({ revoked_at: at })
            .where('chatbot_id', '=', chatbotId)
            .where('id', '=', id)
            .where('used_at', 'is', null)
            .where('revoked_at', 'is', null)
            .executeTakeFirst()
        ).numUpdatedRows,
      ) > 0,

    /**
     * Uses an invitation: one conditional write, so it works once however many browsers open it
     * at the same moment. The invitation, or undefined when unknown, used, revoked or expired.
     */
    use: (tokenHash: string, at: number, x: Kysely<Database>): Promise<InvitationRow | undefined> =>
      x
        .updateTable('invitations')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .returningAll()
        .executeTakeFirst(),

    /** Revokes an invitation this transaction just used (its inviter may no longer give what it offers): never used, revoked. */
    revokeUsed: async (id: string, at: number, x: Kysely<Database>) => {
      await x.updateTable('invitations').set({ used_at: null, revoked_at: at }).where('id', '=', id).execute();
    },

    /** Records the agent an invitation created. */
    setAgent: async (id: string, agentId: string, x: Kysely<Database>) => {
      await x.updateTable('invitations').set({ agent_id: agentId }).where('id', '=', id).execute();
    },

    /** The chatbot's invitations in the order they were made, a page at a time. */
    list: (chatbotId: string, page: Page): Promise<InvitationRow[]> =>
      afterCursor(db.selectFrom('invitations').selectAll().where('chatbot_id', '=', chatbotId), page, 'created_at', 'id').execute(),

    /** Deletes invitations that ended (used, revoked or expired) before `before`; how many. */
    pruneEnded: async (before: number, x: Kysely<Database>): Promise<number> =>
      Number(
        (
          await x
            .deleteFrom('invitations')
            .where((eb) => eb(eb.fn.coalesce('used_at', 'revoked_at', 'expires_at'), '<', before))
            .executeTakeFirst()
        ).numDeletedRows,
      ),
  };
}

export type InvitationStore = ReturnType<typeof invitationStore>;
