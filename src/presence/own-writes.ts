import type { Run } from '../db/prepared.js';
import { isoTime } from '../http-schemas.js';
import type { ActivityThrottle } from './activity.js';
import { assertNotTooFarAhead, chosenStatusUntil, parseClientTimestamp } from './client-timestamp.js';
import { listedEntry } from './entry.js';
import type { LivenessSettings } from './liveness.js';
import type { MemberPresenceRow } from './member-store.js';
import type { ChosenStatusBody, ChosenStatusResult, SetOnlineResult } from './schemas.js';
import type { PresenceStore } from './store.js';
import type { Done, Work } from './work.js';

/** The write of the activity reports kept in memory for some agents, and which agents they are. */
export type KeptActivityWrite = ((run: Run) => Promise<void>) & { agentIds: string[] };

/**
 * An agent's own writes (me/online, me/status, me/activity): each one a sign of life of the
 * device (the key) that sent it, made in the unit of work together with the activity kept in
 * memory for the agent, so the agent is judged by its newest time; the two statuses under last
 * writer wins by the client's timestamp.
 */
export function ownWrites({
  submit,
  keptActivity,
  activity,
  store,
  memberRow,
  liveness,
  maxClockAheadSeconds,
  now,
}: {
  submit: <T>(work: Work<T>) => Promise<Done<T>>;
  keptActivity: (chatbotId: string, agentIds: readonly string[]) => KeptActivityWrite | undefined;
  activity: ActivityThrottle;
  store: PresenceStore;
  memberRow: (chatbotId: string, agentId: string) => Promise<MemberPresenceRow | undefined>;
  liveness: LivenessSettings;
  maxClockAheadSeconds: number;
  now: () => number;
}) {
  return {
    /**
     * Applies an agent's own status update under last writer wins by clientTimestamp. A stale
     * update is not an error: it still counts as a sign of life of its device (the key) and
     * reports applied = false.
     */
    async setOwnStatus(chatbotId: string, agentId: string, keyId: string, body: { online: boolean; clientTimestamp: string | number }): Promise<SetOnlineResult> {
      const clientTs = parseClientTimestamp(body.clientTimestamp);
      const at = now();
      assertNotTooFarAhead(clientTs, at, maxClockAheadSeconds);
      const status = {
        chatbot_id: chatbotId,
        agent_id: agentId,
        online: body.online ? 1 : 0,
        client_ts: clientTs,
        updated_at: at,
        last_seen_at: at,
        online_changed_at: body.online ? at : null,
      };
      const kept = keptActivity(chatbotId, [agentId]);
      const standing = (await submit({ chatbotId, agentIds: [agentId], status, post: { chatbot_id: chatbotId, agent_id: agentId, key_id: keyId, at }, write: kept })).standing!;
      // The write keeps the stored row unless ours is at least as new, so ours stands exactly
      // when the returned timestamp is ours (a newer one would be strictly greater).
      return {
        agentId,
        online: Number(standing.online) === 1,
        clientTimestamp: String(standing.client_ts),
        updatedAt: new Date(Number(standing.updated_at)).toISOString(),
        applied: Number(standing.client_ts) === clientTs,
      };
    },

    /**
     * Sets the agent's chosen status (available, away, busy, dnd) under last writer wins by its
     * own clientTimestamp, apart from the online flag; `until` makes it lapse by itself. A sign
     * of life of the device that sent it. Answers with the state the rule derives afterwards.
     */
    async setChosenStatus(chatbotId: string, agentId: string, keyId: string, body: ChosenStatusBody): Promise<ChosenStatusResult> {
      const clientTs = parseClientTimestamp(body.clientTimestamp);
      const at = now();
      assertNotTooFarAhead(clientTs, at, maxClockAheadSeconds);
      const until = chosenStatusUntil(body.until, at);
      const kept = keptActivity(chatbotId, [agentId]);
      const { answer: standing } = await submit({
        chatbotId,
        agentIds: [agentId],
        post: { chatbot_id: chatbotId, agent_id: agentId, key_id: keyId, at },
        write: async (run) => {
          await kept?.(run);
          const answer = await store.applyChosenStatus(run, {
            chatbot_id: chatbotId,
            agent_id: agentId,
            status: body.status,
            status_text: body.text?.trim() || null,
            status_until: until,
            status_ts: clientTs,
            status_set_at: at,
            status_set_by: null,
            last_seen_at: at,
          });
          return { answer };
        },
      });
      const row = await memberRow(chatbotId, agentId);
      const derived = row ? listedEntry(row, now(), liveness).entry : null;
      return {
        agentId,
        status: standing!.status as ChosenStatusBody['status'],
        text: standing!.status_text ?? null,
        until: isoTime(standing!.status_until ?? null),
        clientTimestamp: String(standing!.status_ts),
        applied: Number(standing!.status_ts) === clientTs,
        state: derived?.state ?? 'offline',
        reason: derived?.reason ?? 'no_sign_of_life',
      };
    },

    /**
     * A client of the agent (a key) reports that the person is active: a sign of life of that
     * device. Cheap by design: written at most once per ACTIVITY_WRITE_MILLIS per agent here,
     * and announced only when it changes what clients see (an idle agent becoming available).
     */
    /**
     * The activity fast lane's report: kept in memory when the device's activity was written less
     * than 30 s before `at` (the answer reportActivity gives), else null and nothing changed (the
     * route then takes it and writes it). One moment for the test and the report, so they agree.
     */
    keepActivity(chatbotId: string, agentId: string, keyId: string, at: number = now()): { agentId: string; lastActiveAt: string } | null {
      if (!activity.wouldKeep(chatbotId, agentId, keyId, at) || activity.report(chatbotId, agentId, keyId, at)) return null;
      return { agentId, lastActiveAt: new Date(at).toISOString() };
    },

    /** Whether a report at `at` would be kept in memory (keepActivity would answer it). */
    canKeepActivity: (chatbotId: string, agentId: string, keyId: string, at: number = now()): boolean => activity.wouldKeep(chatbotId, agentId, keyId, at),

    /** The service's clock, for a caller that must use one moment across calls. */
    now,

    async reportActivity(chatbotId: string, agentId: string, keyId: string): Promise<{ agentId: string; lastActiveAt: string }> {
      const at = now();
      if (activity.report(chatbotId, agentId, keyId, at)) {
        await submit({
          chatbotId,
          agentIds: [agentId],
          post: { chatbot_id: chatbotId, agent_id: agentId, key_id: keyId, at },
          write: (run) => store.recordActivity(run, chatbotId, agentId, at),
        });
      }
      return { agentId, lastActiveAt: new Date(at).toISOString() };
    },
  };
}
