/**
 * Who the audit log names, as it records them: a key over HTTP (its id and kind, with the
 * request id), the admin CLI, or a sign-in link being opened (it makes the browser's key, judged
 * when the link was made; who made the link is in the link's own entry), or the service acting
 * by itself (an orphaned chat moved). auth's Actor is one of
 * these; the log needs no more of it.
 */
export type AuditActor =
  | { kind: 'key'; principal: { keyId: string; kind: string }; requestId: string }
  | { kind: 'cli' }
  | { kind: 'login_link'; requestId: string }
  | { kind: 'service' };
