import { Type, type Static } from 'typebox';
import { NullableDateTime } from '../http-schemas.js';

export const AgentPresence = Type.Object(
  {
    agentId: Type.String(),
    name: Type.String(),
    online: Type.Boolean({
      description:
        'The agent chose to be online AND is alive: a heartbeat within PRESENCE_TTL_SECONDS, a stream open now, or less than PRESENCE_GRACE_SECONDS since its last stream closed.',
    }),
    connected: Type.Boolean({ description: 'A stream of this agent on this chatbot is open now.' }),
    lastSeenAt: NullableDateTime('Last sign of life: a status post, or a stream opening or closing (server clock).'),
    updatedAt: NullableDateTime('When the chosen status last changed (server clock).'),
  },
  { title: 'AgentPresence' },
);
export type AgentPresence = Static<typeof AgentPresence>;

export const OnlineList = Type.Object(
  { agents: Type.Array(AgentPresence, { description: 'Every member of the chatbot, ordered by name (case-insensitive), then id.' }) },
  { title: 'OnlineList' },
);
export type OnlineList = Static<typeof OnlineList>;

export const SetOnlineBody = Type.Object(
  {
    online: Type.Boolean({ description: 'Sets the online status of the agent.', examples: [true] }),
    clientTimestamp: Type.Union([Type.String({ maxLength: 64 }), Type.Integer({ minimum: 0 })], {
      description:
        'When the client made the request: epoch milliseconds as a string of digits (or a JSON number), or an ISO-8601 date-time with a time zone. The newest clientTimestamp wins; ties go to the later arrival.',
      examples: ['1732400000000'],
    }),
  },
  { title: 'SetOnlineRequest' },
);
export type SetOnlineBody = Static<typeof SetOnlineBody>;

export const SetOnlineResult = Type.Object(
  {
    agentId: Type.String(),
    online: Type.Boolean({ description: 'The chosen status that stands after this request.' }),
    clientTimestamp: Type.String({ description: 'clientTimestamp of the update that stands, epoch milliseconds as a string of digits.' }),
    updatedAt: Type.String({ format: 'date-time', description: 'When the standing status was set (server clock).' }),
    applied: Type.Boolean({ description: 'Whether this request set the status (false: a newer update already stood).' }),
  },
  { title: 'SetOnlineResult' },
);
export type SetOnlineResult = Static<typeof SetOnlineResult>;

export const ListHeaders = Type.Object({
  'if-none-match': Type.Optional(
    Type.String({ maxLength: 1000, description: 'The ETag of a list this client holds: while nothing changed, the answer is an empty 304.' }),
  ),
});
