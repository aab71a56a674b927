import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Times are integers of epoch milliseconds and booleans are
 * 0/1 integers, so the same statements run on SQLite and PostgreSQL.
 */
export interface ChatbotTable {
  id: string;
  name: string;
  created_at: number;
  /** The version of the chatbot's last presence event; only grows. */
  presence_version: Generated<number>;
  /** Seconds without reported activity after which an agent is away (idle). */
  idle_after_seconds: Generated<number>;
  /** The default working hours of the chatbot's agents (JSON); null: none. */
  working_hours?: string | null;
  /** Seconds an agent with open assignments may be offline, away or do-not-disturb before they are orphaned; null: never. */
  reassign_after_seconds?: number | null;
  /** 1: orphaned assignments are moved to eligible agents; 0: only announced. */
  auto_reassign?: number;
  /** Seconds an agent has to accept an offered chat; null: chats are assigned without an offer. */
  offer_timeout_seconds?: number | null;
  /** Missed offers in a row after which an agent is set away (missed_offer); null: never. */
  away_after_missed_offers?: number | null;
}

export interface AgentTable {
  id: string;
  name: string;
  email: string | null;
  /** The embedding product's own id for this person, unique per install. */
  external_id: string | null;
  created_at: number;
}

export type MemberRole = 'agent' | 'admin';

export interface MembershipTable {
  chatbot_id: string;
  agent_id: string;
  role: MemberRole;
  created_at: number;
  /** The member's own working hours on this chatbot (JSON); null: the chatbot's default. */
  working_hours?: string | null;
  /** When the member was last given a conversation (assignments/); null: never. */
  last_assigned_at?: number | null;
  /** The member's skills on this chatbot (JSON list of names, assignments/skills.ts). */
  skills?: string;
  /** Offers the member missed in a row (an accepted one resets it). */
  missed_offers?: number;
}

export type KeyKind = 'agent' | 'chatbot' | 'operator';

export interface ApiKeyTable {
  id: string;
  kind: KeyKind;
  /** Set for agent keys: the agent the key acts as. */
  agent_id: string | null;
  /** Set for chatbot keys: the one chatbot the grants apply to. */
  chatbot_id: string | null;
  /** JSON array of permission grants (chatbot and operator keys; agent keys get their role's). */
  grants: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  secret_hash: string;
  /** After a rotation: the SHA-256 of the previous secret, valid until previous_valid_until. */
  previous_secret_hash: Generated<string | null>;
  previous_valid_until: Generated<number | null>;
  /** When the key was last used, to the minute. */
  last_used_at: Generated<number | null>;
  /** The last four characters of the secret, so a person can tell keys apart. */
  secret_hint: string;
  name: string | null;
  created_at: number;
  revoked_at: number | null;
  /** A key made by a sign-in link: it ends after this many milliseconds unused (null: never). */
  expires_unused_ms: Generated<number | null>;
}

/** A single-use sign-in link for an agent on a chatbot; only its token's SHA-256 is kept. */
export interface LoginLinkTable {
  token_hash: string;
  chatbot_id: string;
  agent_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface AssignmentTable {
  chatbot_id: string;
  conversation_id: string;
  agent_id: string;
  strategy: string;
  assigned_at: number;
  assigned_by: string | null;
  considered: string;
  orphaned_at?: number | null;
  /** The integration's title and preview of the chat: in the assigned events, the list and the "New chat" push. */
  title?: string | null;
  preview?: string | null;
  /** When the agent's "New chat" push was queued (null: not yet). */
  told_at?: number | null;
  /** When the chat arrived (null: assigned before the queue existed) and its queue priority. */
  arrived_at?: number | null;
  priority?: number;
  /** How long it waited for its first agent (a move keeps it); null: assigned before the queue. */
  waited_ms?: number | null;
  /** The skills the chat requires (JSON list of names; `[]`: none). */
  required_skills: string;
  /** Offered, not yet accepted: when the offer lapses (null: the chat is its agent's). */
  offer_expires_at?: number | null;
  /** Offered: the hash of the secret the offer's push carries (its Accept and Decline). */
  offer_token?: string | null;
  /** Offered: who it must not go to again and what a return to the queue needs (JSON, offers.ts OfferContext). */
  offer_exclude?: string | null;
}

/** How an offer ended (the reports count them). */
export interface OfferTable {
  chatbot_id: string;
  conversation_id: string;
  agent_id: string;
  offered_at: number;
  decided_at: number;
  /** accepted, declined, missed, or withdrawn. */
  outcome: string;
  /** The hash of the offer's secret (null: none was made). */
  token: string | null;
}

/** A chat waiting in a chatbot's queue (assignments/queue.ts orders it). */
export interface WaitingChatTable {
  chatbot_id: string;
  conversation_id: string;
  priority: number;
  /** Higher priority first, then arrival, as one number (queueOrder). */
  queue_order: number;
  arrived_at: number;
  expires_at: number;
  max_wait_seconds: number | null;
  strategy: string;
  preferred_agent_id: string | null;
  /** JSON list of agent ids. */
  exclude_agent_ids: string;
  title: string | null;
  preview: string | null;
  /** Why it waits (JSON: every member considered), as judged when it arrived. */
  considered: string;
  queued_by: string | null;
  /** The skills the chat requires (JSON list of names; `[]`: none). */
  required_skills: string;
  /** Steps that relax them as it waits (JSON list of SkillStep; `[]`: none), and when the next is due (null: none left). */
  skill_steps: string;
  next_step_at: number | null;
}

/** A chat that ended: released, cancelled or expired (its conversation's state after it). */
export interface EndedChatTable {
  chatbot_id: string;
  conversation_id: string;
  state: string;
  ended_at: number;
  priority: number;
  arrived_at: number;
  agent_id: string | null;
  assigned_at: number | null;
  title: string | null;
  preview: string | null;
  waited_ms: number | null;
  /** The skills the chat required (JSON list of names; `[]`: none). */
  required_skills: string;
}

export interface InvitationTable {
  id: string;
  chatbot_id: string;
  token_hash: string;
  name: string;
  email: string;
  role: MemberRole;
  created_at: number;
  expires_at: number;
  created_by: string | null;
  used_at: number | null;
  agent_id: string | null;
  revoked_at: number | null;
}

export interface PresenceTable {
  chatbot_id: string;
  agent_id: string;
  /** The agent's chosen status (intent), 0 or 1, decided by last writer wins. */
  online: number;
  /** clientTimestamp of the update that set `online`, epoch ms. */
  client_ts: number;
  /** Server time when `online` was last set. */
  updated_at: number;
  /** Server time of the last sign of life (any status post, stale or not). */
  last_seen_at: number;
  /** The chosen status (available, away, busy, dnd); null: never chosen. Ordered by status_ts. */
  status?: string | null;
  status_text?: string | null;
  /** When the chosen status lapses by itself (epoch ms); null: it does not. */
  status_until?: number | null;
  /** clientTimestamp of the chosen status that stands. */
  status_ts?: number | null;
  /** Server time the chosen status was set, and the key that set it (a supervisor's, or the agent's own). */
  status_set_at?: number | null;
  status_set_by?: string | null;
  /** The newest activity reported by any client of the agent (server clock); null: never reported. */
  last_active_at?: number | null;
  /** Who set the online flag when it was not the agent itself (a supervisor's agent or key id). */
  online_set_by?: string | null;
  /** When the online flag last turned on (a re-post of the same value does not move it). */
  online_changed_at?: number | null;
}

/** Capacity an integration reports for an agent: absolute values ordered by their clientTimestamp. */
export interface AgentCapacityTable {
  chatbot_id: string;
  agent_id: string;
  /** Chats the agent has now; null: not reported. */
  active_chats: number | null;
  /** The most chats the agent takes at once; null: no limit. */
  max_chats: number | null;
  client_ts: number;
  updated_at: number;
}

/** Where a chatbot's availability changes are sent. */
export interface WebhookTable {
  id: string;
  chatbot_id: string;
  url: string;
  /** The signing secret (whsec_…): kept, since signing needs it (API keys are kept only as hashes). */
  secret: string;
  debounce_seconds: number;
  created_at: number;
}

export type WebhookDeliveryState = 'pending' | 'sent' | 'failed' | 'expired' | 'skipped';

/** One message to one webhook: the outbox row and what became of it. */
export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  agent_id: string;
  state_key: string;
  payload: string;
  state: WebhookDeliveryState;
  reason: string | null;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  expires_at: number;
}

/** One interval of an agent's availability on a chatbot; append-only (to_at is set once). */
export interface PresenceHistoryTable {
  id: string;
  chatbot_id: string;
  agent_id: string;
  state: string;
  reason: string;
  status_text: string | null;
  from_at: number;
  to_at: number | null;
  /** Who caused it when not the agent itself or the clock: a supervisor's agent id, or a key id. */
  set_by: string | null;
}

export interface NotificationSettingsTable {
  chatbot_id: string;
  agent_id: string;
  /** JSON array of event types the agent does not want pushed. */
  muted_types: Generated<string>;
  /** 1: push even while the agent has a live stream open. */
  push_when_connected: Generated<number>;
  updated_at: number;
}

export type DeviceKind = 'fcm' | 'webpush';

/** One browser of an agent in a chatbot: an FCM token or a Web Push subscription. */
export interface PushDeviceTable {
  id: string;
  chatbot_id: string;
  agent_id: string;
  kind: DeviceKind;
  /** The FCM registration token, or the Web Push endpoint URL. */
  address: string;
  /** SHA-256 of address, hex: the device's key within the chatbot. */
  address_hash: string;
  p256dh: string | null;
  auth: string | null;
  created_at: number;
  updated_at: number;
  last_success_at: number | null;
  last_error: string | null;
}

export interface NotificationTable {
  id: string;
  chatbot_id: string;
  key_id: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  type: string;
  title: string;
  body: string;
  url: string | null;
  data: string | null;
  audience: string;
  ttl_seconds: number;
  urgency: string;
  collapse_key: string | null;
  payload: string;
  response: string;
  created_at: number;
  expires_at: number;
}

export type DeliveryState = 'pending' | 'sent' | 'failed' | 'expired' | 'skipped';

/** The outbox: one row per (notification, device); a worker claims the due pending ones. */
export interface PushDeliveryTable {
  id: string;
  notification_id: string;
  agent_id: string;
  device_id: string | null;
  kind: DeviceKind | null;
  state: DeliveryState;
  reason: string | null;
  attempts: Generated<number>;
  next_attempt_at: number;
  expires_at: number;
  /** Set while a worker is sending it; a claim that lapses (a crash) makes it due again. */
  claimed_until: number | null;
  last_error: string | null;
  sent_at: number | null;
  updated_at: number;
}

export interface PushConfigTable {
  name: string;
  value: string;
}

/** When a stream of the agent last opened or closed (part of its lastSeenAt). */
export interface StreamLivenessTable {
  chatbot_id: string;
  agent_id: string;
  seen_at: number;
}

/** What liveness needs of one device: an API key of the agent on the chatbot (see presence/liveness.ts). */
export interface DeviceLivenessTable {
  chatbot_id: string;
  agent_id: string;
  key_id: string;
  /** The last sign of life posted with the key (server clock); null: none. */
  posted_at: number | null;
  /** When the key's last stream closed; null: none closed. */
  closed_at: number | null;
}

/** A running instance of the service and its lease; a lapsed lease means it died. */
export interface InstanceTable {
  id: string;
  started_at: number;
  renewed_at: number;
  lease_until: number;
}

/** An instance holding at least one open stream of the agent's key (the device, and so the agent, is connected). */
export interface StreamHolderTable {
  chatbot_id: string;
  agent_id: string;
  key_id: string;
  instance_id: string;
  opened_at: number;
}

export interface PresenceAnnouncedTable {
  chatbot_id: string;
  agent_id: string;
  online: number;
  connected: number;
  /** The list entry as last announced, JSON. */
  entry: string;
  /** The derived state, reason and text last announced (see visibleKey); null before availability. */
  visible?: string | null;
  /** When the announced state, reason and text began. */
  since?: number | null;
  /** How many devices were alive. */
  devices: Generated<number>;
  /** The history interval the announced state opened (the one to close at the next change). */
  history_id?: string | null;
  /**
   * The moment the entry next changes by itself, as judged when announced (kept up to date
   * while the agent is offline): a restart or a hand-over watches every chatbot with one.
   */
  next_change_at?: number | null;
}

export interface PresenceEventTable {
  chatbot_id: string;
  version: number;
  /** The event's data: the agent's list entry, JSON (or another event's data). */
  data: string;
  /** Null: a `presence` event (an entry changed); otherwise the event's type, e.g. `assignment.orphaned`. */
  type: string | null;
  created_at: number;
}

export interface StreamTicketTable {
  ticket_hash: string;
  key_id: string;
  chatbot_id: string;
  expires_at: number;
}

/** One administrative change: who made it (the key, or the CLI), what, on what. Never a secret. */
export interface AuditLogTable {
  id: string;
  at: number;
  actor_key_id: string | null;
  /** operator, agent, chatbot (a key's kind), or cli. */
  actor_kind: string;
  action: string;
  chatbot_id: string | null;
  agent_id: string | null;
  /** The key the change was about (created, revoked, rotated). */
  key_id: string | null;
  request_id: string | null;
  /** JSON: what changed (a name, a role, grants). */
  detail: string | null;
}

export interface Database {
  chatbots: ChatbotTable;
  agents: AgentTable;
  memberships: MembershipTable;
  api_keys: ApiKeyTable;
  login_links: LoginLinkTable;
  invitations: InvitationTable;
  assignments: AssignmentTable;
  waiting_chats: WaitingChatTable;
  ended_chats: EndedChatTable;
  offers: OfferTable;
  presence: PresenceTable;
  notification_settings: NotificationSettingsTable;
  stream_liveness: StreamLivenessTable;
  device_liveness: DeviceLivenessTable;
  presence_announced: PresenceAnnouncedTable;
  presence_history: PresenceHistoryTable;
  agent_capacity: AgentCapacityTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  presence_events: PresenceEventTable;
  stream_tickets: StreamTicketTable;
  instances: InstanceTable;
  stream_holders: StreamHolderTable;
  push_devices: PushDeviceTable;
  notifications: NotificationTable;
  push_deliveries: PushDeliveryTable;
  push_config: PushConfigTable;
  audit_log: AuditLogTable;
}
