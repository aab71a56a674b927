import { sql, type Kysely } from 'kysely';
import type { AnnouncedChange, ChangeRecorder } from '../availability/changes.js';
import { prepareQuery, prepareRows, selectRows, type Run } from '../db/prepared.js';
import type { Database, WebhookDeliveryTable, WebhookTable } from '../db/schema.js';
import { orderedId } from '../ids.js';

/** How long a webhook message is retried before it expires. */
export const WEBHOOK_TTL_MILLIS = 24 * 3600_000;

type Message = Omit<WebhookDeliveryTable, 'reason' | 'last_status' | 'last_error' | 'sent_at' | 'state' | 'attempts'>;

/** The message a change of state sends: `agent.availability.changed` with the chatbot and the agent's entry. */
export const availabilityChangedPayload = (change: AnnouncedChange, at: number): string =>
  `{"type":"agent.availability.changed","timestamp":"${new Date(at).toISOString()}","data":{"chatbotId":${JSON.stringify(change.chatbotId)},"agent":${change.entry}}}`;

/**
 * The webhook outbox as a recorder of announced changes: every change of an agent's state,
 * reason or text becomes one message per webhook of its chatbot, written in the unit of work
 * that announces it (the worker sends them once committed). A debounced webhook keeps one
 * waiting message per agent, the newest: a change while the previous one waits replaces it.
 * Other events a unit announces (`assignment.orphaned`) become a message per webhook each.
 */
export function webhookOutbox(db: Kysely<Database>): ChangeRecorder & { onQueued(listener: () => void): void } {
  // The webhooks of the chatbots in a list (one statement however many chatbots a unit touched).
  const ofChatbots = prepareRows<Pick<WebhookTable, 'id' | 'chatbot_id' | 'debounce_seconds'>, { chatbot_id: string }>(db, { chatbot_id: 'text' }, (rows) =>
    db.selectFrom('webhooks as w').innerJoin(rows.as('c'), 'c.chatbot_id', 'w.chatbot_id').select(['w.id', 'w.chatbot_id', 'w.debounce_seconds']),
  );
  // Debounced: a change while the previous one still waits replaces it (its id and first time stay).
  const replacePending = prepareQuery<{ id: string }, { webhook_id: string; agent_id: string; state_key: string; payload: string; next_attempt_at: number }>(
    db,
    ['webhook_id', 'agent_id', 'state_key', 'payload', 'next_attempt_at'],
    (v) =>
      db
        .updateTable('webhook_deliveries')
        .set({ state_key: v.state_key, payload: v.payload, next_attempt_at: v.next_attempt_at })
        .where('webhook_id', '=', v.webhook_id)
        .where('agent_id', '=', v.agent_id)
        .where('state', '=', sql.lit('pending'))
        .where('attempts', '=', sql.lit(0))
        // Only an availability change replaces another (its key is a JSON array); an event never is.
        .where('state_key', 'like', sql.lit('[%'))
        .returning('id'),
  );
  const columns = ['id', 'webhook_id', 'agent_id', 'state_key', 'payload', 'next_attempt_at', 'created_at', 'expires_at'] as const;
  const enqueue = prepareRows<never, Message>(
    db,
    { id: 'text', webhook_id: 'text', agent_id: 'text', state_key: 'text', payload: 'text', next_attempt_at: 'bigint', created_at: 'bigint', expires_at: 'bigint' },
    (rows) =>
      db
        .insertInto('webhook_deliveries')
        .columns([...columns, 'state', 'attempts'])
        .expression(selectRows(db, rows, columns).select([sql.lit('pending').as('state'), sql.lit(0).as('attempts')])),
  );
  const listeners: Array<() => void> = [];
  /** The webhooks of the chatbots these changes or events are in (one statement). */
  const hooksOf = (run: Run, items: ReadonlyArray<{ chatbotId: string }>) =>
    run(
      ofChatbots,
      [...new Set(items.map((item) => item.chatbotId))].map((chatbot_id) => ({ chatbot_id })),
    );
  /** A new message as queued at `at`: its id, and expiry after WEBHOOK_TTL_MILLIS. */
  const queued = (message: Omit<Message, 'id' | 'created_at' | 'expires_at'>, at: number): Message => ({
    ...message,
    id: orderedId('msg', at),
    created_at: at,
    expires_at: at + WEBHOOK_TTL_MILLIS,
  });

  return {
    onQueued(listener) {
      listeners.push(listener);
    },

    async record(run: Run, changes, at) {
      const changed = changes.filter((change) => change.state !== null && !change.removed);
      if (changed.length === 0) return false;
      const hooks = await hooksOf(run, changed);
      if (hooks.length === 0) return false;
      const messages: Message[] = [];
      for (const change of changed) {
        const { state, reason, statusText } = change.state!;
        const stateKey = JSON.stringify([state, reason, statusText]);
        const payload = availabilityChangedPayload(change, at);
        for (const hook of hooks) {
          if (hook.chatbot_id !== change.chatbotId) continue;
          const debounce = Number(hook.debounce_seconds) * 1000;
          const message = { webhook_id: hook.id, agent_id: change.agentId, state_key: stateKey, payload, next_attempt_at: at + debounce };
          if (debounce > 0 && (await run(replacePending, message)).length > 0) continue;
          messages.push(queued(message, at));
        }
      }
      await run(enqueue, messages);
      return true;
    },

    committed() {
      for (const listener of listeners) listener();
    },

    /** Other events of a unit of work (`assignment.orphaned`): one message per webhook of the chatbot, sent as said (no debounce). */
    async recordEvents(run: Run, events, at) {
      const hooks = await hooksOf(run, events);
      if (hooks.length === 0) return false;
      const messages: Message[] = [];
      for (const event of events) {
        const payload = `{"type":${JSON.stringify(event.type)},"timestamp":"${new Date(at).toISOString()}","data":${event.data}}`;
        for (const hook of hooks) {
          if (hook.chatbot_id !== event.chatbotId) continue;
          messages.push(queued({ webhook_id: hook.id, agent_id: event.agentId, state_key: event.type, payload, next_attempt_at: at }, at));
        }
      }
      await run(enqueue, messages);
      return true;
    },
  };
}
