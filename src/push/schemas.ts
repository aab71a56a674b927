import { Type, type Static } from 'typebox';
import { ChatbotParams, NullableDateTime } from '../http-schemas.js';
import { EventType } from '../notifications/schemas.js';

export const URGENCIES = ['very-low', 'low', 'normal', 'high'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const DEFAULT_TTL_SECONDS = 3600;
/** FCM's and the common push services' longest TTL: 28 days. */
export const MAX_TTL_SECONDS = 2_419_200;
export const MAX_AUDIENCE_IDS = 1000;
/**
 * Where a click on a notification may lead: an absolute http(s) URL, or a path with a single
 * leading "/". A path starting "//" or "/\\" is a link to another host in a browser; other
 * schemes (javascript:, data:) run or show content of the sender's choosing. No whitespace or
 * control characters anywhere.
 */
export const NOTIFICATION_URL = '^(https?://[^\\s\\x00-\\x1f\\x7f]+|/(?![/\\\\])[^\\s\\x00-\\x1f\\x7f]*)$';

export const Audience = Type.Union(
  [
    Type.Literal('available', { description: 'Agents whose chosen status is online (the default).' }),
    Type.Literal('all', { description: 'Every member of the chatbot.' }),
    Type.Object(
      { agentIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: MAX_AUDIENCE_IDS, uniqueItems: true }) },
      { additionalProperties: false, description: 'These members (every id must be a member).' },
    ),
  ],
  { description: 'Who is meant: "available" (default), "all", or { "agentIds": [...] }.' },
);

export const NotifyBody = Type.Object(
  {
    type: EventType,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.String({ maxLength: 3000 }),
    url: Type.Optional(
      Type.String({
        maxLength: 2048,
        pattern: NOTIFICATION_URL,
        description:
          'Opened when the notification is clicked: an absolute http(s) URL, or a path on the inbox origin starting with a single "/" (not "//" or "/\\", which a browser opens on another host).',
      }),
    ),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Any JSON object, passed to the browser as is.' })),
    audience: Type.Optional(Audience),
    ttlSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_TTL_SECONDS, description: `How long delivery is attempted and the push service keeps it (default ${DEFAULT_TTL_SECONDS}).` }),
    ),
    urgency: Type.Optional(
      // Spelt out (a mapped array would type the field as undefined): URGENCIES' order.
      Type.Union([Type.Literal('very-low'), Type.Literal('low'), Type.Literal('normal'), Type.Literal('high')], { description: 'RFC 8030 Urgency (default normal).' }),
    ),
    collapseKey: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'A newer push with the same key replaces an undelivered older one (Web Push Topic, notification tag).' }),
    ),
    priority: Type.Optional(
      Type.Union([Type.Literal('normal'), Type.Literal('critical')], {
        description: 'critical reaches agents in do not disturb, outside working hours, or who muted the type (default normal). For what cannot wait.',
      }),
    ),
  },
  { title: 'NotifyRequest' },
);
export type NotifyBody = Static<typeof NotifyBody>;

export const NOTIFY_RULES = {
  type: 'type must be an event type: 1 to 100 lower-case letters, digits, ".", "_" or "-"',
  title: 'title must be a string of 1 to 200 characters',
  body: 'body must be a string of at most 3000 characters',
  url: 'url must be an absolute http(s) URL or a path starting with a single "/" (not "//" or "/\\"), without spaces or control characters, at most 2048 characters',
  data: 'data must be a JSON object',
  audience: `audience must be "available", "all", or { "agentIds": [1 to ${MAX_AUDIENCE_IDS} distinct agent ids] }`,
  ttlSeconds: `ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}`,
  urgency: `urgency must be one of ${URGENCIES.join(', ')}`,
  collapseKey: 'collapseKey must be 1 to 32 characters of A-Z, a-z, 0-9, "-" or "_"',
  priority: 'priority must be "normal" or "critical"',
};

export const Delivery = Type.Object(
  {
    id: Type.String(),
    agentId: Type.String(),
    deviceId: Type.Union([Type.String(), Type.Null()], { description: 'Null when the agent had no device.' }),
    kind: Type.Union([Type.Literal('fcm'), Type.Literal('webpush'), Type.Null()]),
    state: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('expired'), Type.Literal('skipped')]),
    reason: Type.Union([Type.String(), Type.Null()], {
      description:
        'Why it was skipped (muted, do_not_disturb, outside_working_hours, connected, no_devices, fcm_not_configured, device_removed) or failed (device_gone, configuration).',
    }),
    attempts: Type.Integer({ description: 'Sends tried for this delivery; expiring or finding the device gone before a send does not count.' }),
    lastError: Type.Union([Type.String(), Type.Null()], { description: 'What the last attempt met; for an expired delivery, also that it expired.' }),
    sentAt: NullableDateTime('When the push service accepted it.'),
    nextAttemptAt: NullableDateTime(
      'For a pending delivery: when it is (re)tried next. Null once no attempt fits before the TTL: it is then expired when the TTL ends, keeping `lastError`.',
    ),
  },
  { title: 'Delivery' },
);
export type Delivery = Static<typeof Delivery>;

export const NotifyAnswer = Type.Object({ id: Type.String(), deliveries: Type.Array(Delivery) }, { title: 'NotifyAnswer' });
export type NotifyAnswer = Static<typeof NotifyAnswer>;

export const NotificationView = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    title: Type.String(),
    body: Type.String(),
    url: Type.Union([Type.String(), Type.Null()]),
    data: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    audience: Audience,
    ttlSeconds: Type.Integer(),
    urgency: Type.String(),
    collapseKey: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    summary: Type.Object({ pending: Type.Integer(), sent: Type.Integer(), failed: Type.Integer(), expired: Type.Integer(), skipped: Type.Integer() }),
    deliveries: Type.Array(Delivery),
  },
  { title: 'Notification' },
);
export type NotificationView = Static<typeof NotificationView>;

export const NotificationParams = Type.Object({
  ...ChatbotParams.properties,
  notificationId: Type.String({ minLength: 1, maxLength: 100 }),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description: 'Makes a retried call return the first answer and send nothing twice (kept 7 days after the notification expires).',
    }),
  ),
});
