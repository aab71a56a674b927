import type { WorkingHours } from '../../src/availability/working-hours.js';
import type { MemberPresenceRow } from '../../src/presence/member-store.js';

const parsed = (json: string | null): WorkingHours | null => (json === null ? null : (JSON.parse(json) as WorkingHours));

/**
 * A member's row as the store reads it, for the pure rules' tests: a member of chatbot `cb`
 * named Ada with nothing stored (no presence row, no device, nothing announced) and the
 * chatbot's default idle time, changed by `overrides`.
 */
export function memberRow(overrides: Partial<MemberPresenceRow> = {}): MemberPresenceRow {
  return {
    chatbot_id: 'cb',
    agent_id: 'ag',
    name: 'Ada',
    online: null,
    updated_at: null,
    last_seen_at: null,
    stream_seen_at: null,
    status: null,
    status_text: null,
    status_until: null,
    last_active_at: null,
    active_chats: null,
    max_chats: null,
    assigned_chats: 0,
    chatbot_waiting: 0,
    status_set_by: null,
    status_set_at: null,
    online_changed_at: null,
    working_hours: null,
    chatbot_working_hours: null,
    online_set_by: null,
    idle_after_seconds: 600,
    announced_online: null,
    announced_connected: null,
    announced_devices: null,
    announced_visible: null,
    announced_since: null,
    announced_next_change_at: null,
    announced_history_id: null,
    devices: [],
    ...overrides,
    schedule: overrides.schedule ?? parsed(overrides.working_hours ?? overrides.chatbot_working_hours ?? null),
  };
}
