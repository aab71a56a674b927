export { createInboxClient, ok, apiError, InboxApiError, type InboxClient, type ClientOptions, type AgentEntry, type AgentState, type paths } from './client.js';
export {
  PresenceStream,
  watchPresence,
  type ConnectionState,
  type OrphanedAssignments,
  type AssignmentEvent,
  type QueueEvent,
  type OfferEvent,
  type WatchPresenceOptions,
  type EventSourceConstructor,
  type EventSourceLike,
} from './presence.js';
export { nextDelay, retryAfterMs, type Backoff } from './backoff.js';
export { startActivityReporter, activityDecision, ACTIVITY_EVENTS, type ActivityReporter, type ActivityReporterOptions } from './activity.js';
export { setMyStatus, untilIn, untilTomorrow, type StatusChoice, type StatusOptions } from './status.js';
export { enablePush, disablePush, fromBase64Url, type EnabledPush, type PushOptions, type PushRegistration, type PushSubscriptionLike } from './push.js';
export { acceptOffer, declineOffer, offerTimeLeft, type AcceptedOffer, type DeclinedOffer } from './offers.js';
