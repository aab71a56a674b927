import type { Kysely } from 'kysely';

/**
 * Offers (assignments/offers.ts): a chatbot may ask its agents to accept a chat within
 * `offer_timeout_seconds` (null: assign directly), and sets an agent away (reason missed_offer)
 * after `away_after_missed_offers` missed in a row (null: never; default 1).
 * An offered chat is an open assignment whose `offer_expires_at` is set: it holds its agent's
 * capacity like an accepted one; accepted, the column is null. `offer_token` is the hash of the
 * secret its push carries (the notification's Accept and Decline act with it, no key needed);
 * `offer_exclude` the agents it must not go to again (the request's exclusions, and each agent
 * that declined or missed it), with what a return to the queue needs (JSON).
 * `offers` keeps how each offer ended, for the reports (and its secret's hash, so that a late
 * answer from its notification is told it ended); `memberships.missed_offers` counts a
 * member's missed offers in a row (an accepted one resets it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('chatbots').addColumn('offer_timeout_seconds', 'integer').execute();
  await db.schema
    .alterTable('chatbots')
    .addColumn('away_after_missed_offers', 'integer', (c) => c.defaultTo(1))
    .execute();
  await db.schema.alterTable('assignments').addColumn('offer_expires_at', 'bigint').execute();
  await db.schema.alterTable('assignments').addColumn('offer_token', 'varchar(64)').execute();
  await db.schema.alterTable('assignments').addColumn('offer_exclude', 'text').execute();
  await db.schema.createIndex('assignments_offer_expiry').on('assignments').columns(['offer_expires_at']).execute();
  await db.schema
    .alterTable('memberships')
    .addColumn('missed_offers', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('offers')
    .addColumn('chatbot_id', 'varchar(40)', (c) => c.notNull().references('chatbots.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('agent_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('offered_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint', (c) => c.notNull())
    // accepted, declined, missed, or withdrawn (released, cancelled or moved while offered).
    .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
    // The hash of the offer's secret: a click on its notification after it ended is told so, not counted as a guess.
    .addColumn('token', 'varchar(64)')
    .addPrimaryKeyConstraint('offers_pk', ['chatbot_id', 'conversation_id', 'agent_id', 'offered_at'])
    .execute();
  await db.schema.createIndex('offers_time').on('offers').columns(['chatbot_id', 'decided_at']).execute();
}
