import { Type, type Static } from 'typebox';
import { ChatbotParams, NullableDateTime } from '../http-schemas.js';

/** FCM registration tokens and similar: visible ASCII, no spaces or control characters. */
export const PUSH_TOKEN_RULE = 'pushToken must be a string of 1 to 4096 visible characters (no spaces or control characters), or null to clear it';
export const PUSH_SUBSCRIPTION_RULE =
  'pushSubscription must be a PushSubscription as JSON: { "endpoint": "https://…", "keys": { "p256dh": "<base64url P-256 public key>", "auth": "<base64url 16 bytes>" } }';
export const MUTED_TYPES_RULE = 'mutedTypes must be a list of at most 100 distinct event types (lower-case letters, digits, ".", "_" or "-", up to 100 characters each)';
export const PUSH_WHEN_CONNECTED_RULE = 'pushWhenConnected must be true or false';

/** At most this many devices per agent in one chatbot. */
export const MAX_DEVICES = 20;

const PushToken = Type.String({
  minLength: 1,
  maxLength: 4096,
  pattern: '^[\\x21-\\x7E]+$',
  description: 'An FCM registration token for browser notifications.',
  examples: ['cVA6cG-ztyB-M8_7yul:APAnGnnmmELFUbziLIVatyDVe_DyihdJhiaQHYw'],
});

/** An event type: what integrations send and agents mute. */
export const EventType = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[a-z0-9][a-z0-9._-]*$',
  description: 'An event type such as `conversation.assigned`.',
  examples: ['conversation.assigned'],
});

export const PushSubscription = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: 2048, description: 'The push service URL the browser gave (https; not a private address).' }),
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'As the browser gives it; not used.' })),
    keys: Type.Object({
      p256dh: Type.String({ minLength: 1, maxLength: 100, description: "The browser's P-256 public key, base64url (65 bytes uncompressed)." }),
      auth: Type.String({ minLength: 1, maxLength: 40, description: 'The 16-byte authentication secret, base64url.' }),
    }),
  },
  { title: 'PushSubscription', description: 'What `PushSubscription.toJSON()` gives in the browser.' },
);
export type PushSubscription = Static<typeof PushSubscription>;

export const Device = Type.Object(
  {
    id: Type.String({ examples: ['dev_3kq9wz1x8v7c6b5n4m2p'] }),
    kind: Type.Union([Type.Literal('fcm'), Type.Literal('webpush')], { description: 'fcm: a pushToken; webpush: a pushSubscription.' }),
    createdAt: Type.String({ format: 'date-time' }),
    lastSuccessAt: NullableDateTime('When a push last reached this device; null if none has yet.'),
    lastError: Type.Union([Type.String(), Type.Null()], { description: 'What went wrong with the last failed push, until a push succeeds.' }),
  },
  { title: 'Device' },
);
export type Device = Static<typeof Device>;

export const NotificationSettings = Type.Object(
  {
    pushToken: Type.Union([PushToken, Type.Null()], { description: 'The most recently registered FCM token, or null.' }),
    updatedAt: NullableDateTime('When the settings last changed; null if never set.'),
    devices: Type.Array(Device, { description: "This agent's browsers in this chatbot, oldest first." }),
    mutedTypes: Type.Array(EventType, { description: 'Event types this agent does not want pushed.' }),
    pushWhenConnected: Type.Boolean({ description: 'Push even while the agent has a live stream open (watching the inbox).' }),
    deviceId: Type.Optional(Type.String({ description: 'In a POST answer: the device this call added or refreshed.' })),
  },
  { title: 'NotificationSettings' },
);
export type NotificationSettings = Static<typeof NotificationSettings>;

export const UpdateNotificationSettingsBody = Type.Object(
  {
    pushToken: Type.Optional(
      Type.Union([PushToken, Type.Null()], {
        description: 'A token adds or refreshes an FCM device; null removes every device of this agent here (no more pushes). Left out: nothing changes.',
      }),
    ),
    pushSubscription: Type.Optional(PushSubscription),
    mutedTypes: Type.Optional(Type.Array(EventType, { maxItems: 100, uniqueItems: true })),
    pushWhenConnected: Type.Optional(Type.Boolean()),
  },
  { title: 'UpdateNotificationSettingsRequest' },
);
export type UpdateNotificationSettingsBody = Static<typeof UpdateNotificationSettingsBody>;

export const DeviceParams = Type.Object({
  ...ChatbotParams.properties,
  deviceId: Type.String({ minLength: 1, maxLength: 100 }),
});
