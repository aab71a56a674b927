import { Type, type Static } from 'typebox';
import { NullableDateTime } from '../http-schemas.js';

// The closed sets of the availability rule (availability/rule.ts), spelled out for the types.
const STATE = (description: string) =>
  Type.Union([Type.Literal('available'), Type.Literal('away'), Type.Literal('busy'), Type.Literal('dnd'), Type.Literal('offline')], { description });
const CHOSEN = (description: string) => Type.Union([Type.Literal('available'), Type.Literal('away'), Type.Literal('busy'), Type.Literal('dnd')], { description });
const REASON = (description: string) =>
  Type.Union(
    [
      Type.Literal('chosen_offline'),
      Type.Literal('no_sign_of_life'),
      Type.Literal('outside_working_hours'),
      Type.Literal('chosen'),
      Type.Literal('missed_offer'),
      Type.Literal('at_capacity'),
      Type.Literal('idle'),
      Type.Literal('ready'),
    ],
    { description },
  );
const NullableInteger = (description: string) => Type.Union([Type.Integer(), Type.Null()], { description });

export const AgentPresence = Type.Object(
  {
    agentId: Type.String(),
    name: Type.String(),
    online: Type.Boolean({
      description:
        'Not offline: the agent chose to be online, is within its working hours (or chose to be online outside them) AND is alive. Alive: one of its devices (API keys) holds a stream, or closed its last one less than PRESENCE_GRACE_SECONDS ago, or posted a sign of life less than PRESENCE_TTL_SECONDS ago (after its last stream closed, if it held one).',
    }),
    connected: Type.Boolean({ description: 'A stream of this agent on this chatbot is open now (on any instance).' }),
    lastSeenAt: NullableDateTime('Last sign of life: a status post, or a stream opening or closing (server clock).'),
    updatedAt: NullableDateTime('When the chosen status last changed (server clock).'),
    state: STATE("The agent's availability, derived by the availability rule (see the README): available, away, busy, dnd (do not disturb) or offline."),
    reason: REASON(
      "Why the state holds: chosen_offline, no_sign_of_life, outside_working_hours (offline); chosen (a chosen dnd, busy or away); missed_offer (away: set by the service after the chatbot's awayAfterMissedOffers offers missed in a row, until the agent chooses a status); at_capacity (busy); idle (away); ready (available).",
    ),
    statusText: Type.Union([Type.String(), Type.Null()], { description: 'The text of the chosen status (e.g. "In a meeting") while it holds.' }),
    statusUntil: NullableDateTime('When the chosen status lapses by itself, while it holds; null: it does not.'),
    since: Type.String({ format: 'date-time', description: 'Since when the state, reason and text have held (server clock).' }),
    lastActiveAt: NullableDateTime('The newest activity reported by any client of the agent (POST agents/me/activity); null: never reported.'),
    activeChats: NullableInteger('Chats the agent has now, as an integration reported; null: not reported.'),
    maxChats: NullableInteger('The most chats the agent takes at once; null: no limit.'),
    setBy: Type.Union([Type.String(), Type.Null()], {
      description: "Who set the chosen status or offline when it was not the agent itself: the supervisor's agent id (or the key id of an integration); null otherwise.",
    }),
    devices: Type.Integer({
      minimum: 0,
      description:
        "How many of the agent's devices are alive now: its API keys (a browser each, from its sign-in link; an app; an integration acting as the agent) holding a stream, within a closed stream's grace, or within the TTL of a post. The agent is alive while one is.",
    }),
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
        'When the client made the request: epoch milliseconds as a string of digits (or a JSON number), or an ISO-8601 date-time with a time zone. A number before 2001 in milliseconds is refused as plainly seconds. The newest clientTimestamp wins; ties go to the later arrival.',
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
  'if-none-match': Type.Optional(Type.String({ maxLength: 1000, description: 'The ETag of a list this client holds: while nothing changed, the answer is an empty 304.' })),
});

export const ChosenStatusBody = Type.Object(
  {
    status: CHOSEN('The status the agent chooses: available, away, busy or dnd (do not disturb). Offline is POST agents/me/online with online: false.'),
    text: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'Shown beside the status, e.g. "In a meeting"; at most 100 characters.' })),
    until: Type.Optional(
      Type.Union([Type.String({ format: 'date-time', maxLength: 64 }), Type.Null()], {
        description: 'When the status lapses by itself (then the agent is available again); in the future, at most 366 days ahead. Omitted or null: until changed.',
      }),
    ),
    clientTimestamp: SetOnlineBody.properties.clientTimestamp,
  },
  { title: 'ChosenStatusRequest', additionalProperties: false },
);
export type ChosenStatusBody = Static<typeof ChosenStatusBody>;

export const ChosenStatusResult = Type.Object(
  {
    agentId: Type.String(),
    status: CHOSEN('The chosen status that stands after this request.'),
    text: Type.Union([Type.String(), Type.Null()]),
    until: NullableDateTime('When the standing chosen status lapses.'),
    clientTimestamp: Type.String({ description: 'clientTimestamp of the chosen status that stands, epoch milliseconds as a string of digits.' }),
    applied: Type.Boolean({ description: 'Whether this request set the chosen status (false: a newer one already stood).' }),
    state: AgentPresence.properties.state,
    reason: AgentPresence.properties.reason,
  },
  { title: 'ChosenStatusResult' },
);
export type ChosenStatusResult = Static<typeof ChosenStatusResult>;

export const ActivityResult = Type.Object(
  {
    agentId: Type.String(),
    lastActiveAt: Type.String({ format: 'date-time', description: "This report's time (server clock)." }),
  },
  { title: 'ActivityResult' },
);
export type ActivityResult = Static<typeof ActivityResult>;

export const AvailabilitySummary = Type.Object(
  {
    counts: Type.Object(
      { available: Type.Integer(), away: Type.Integer(), busy: Type.Integer(), dnd: Type.Integer(), offline: Type.Integer() },
      { description: 'Members of the chatbot by state.' },
    ),
    anyoneAvailable: Type.Boolean({ description: 'Whether at least one agent is available now.' }),
    nextAvailableAt: NullableDateTime(
      "While nobody is available: when someone is next expected, the earliest of an agent due back by itself (a chosen status lapsing) and the schedule's answer (the next opening of a member who chose to be online and would be available then, else of the chatbot's default hours); null when someone is available now or neither says anything.",
    ),
  },
  { title: 'AvailabilitySummary' },
);
export type AvailabilitySummary = Static<typeof AvailabilitySummary>;
