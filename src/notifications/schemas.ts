import { Type, type Static } from 'typebox';
import { NullableDateTime } from '../http-schemas.js';

/** FCM registration tokens and similar: visible ASCII, no spaces or control characters. */
export const PUSH_TOKEN_RULE = 'pushToken must be a string of 1 to 4096 visible characters (no spaces or control characters), or null to clear it';

const PushToken = Type.String({
  minLength: 1,
  maxLength: 4096,
  pattern: '^[\\x21-\\x7E]+$',
  description: 'The push token for browser notifications (e.g. an FCM registration token).',
  examples: ['cVA6cG-ztyB-M8_7yul:APAnGnnmmELFUbziLIVatyDVe_DyihdJhiaQHYw'],
});

export const NotificationSettings = Type.Object(
  {
    pushToken: Type.Union([PushToken, Type.Null()]),
    updatedAt: NullableDateTime('When the settings last changed; null if never set.'),
  },
  { title: 'NotificationSettings' },
);
export type NotificationSettings = Static<typeof NotificationSettings>;

export const UpdateNotificationSettingsBody = Type.Object(
  {
    pushToken: Type.Optional(
      Type.Union([PushToken, Type.Null()], {
        description: 'A token sets it, null clears it, leaving it out changes nothing.',
      }),
    ),
  },
  { title: 'UpdateNotificationSettingsRequest' },
);
export type UpdateNotificationSettingsBody = Static<typeof UpdateNotificationSettingsBody>;
