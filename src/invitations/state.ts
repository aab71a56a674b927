/** Where an invitation stands. Pure: judged from its row and the time. */
export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

/** How long an invitation's link can be opened: a week, time for a person to read their mail. */
export const INVITATION_TTL_MS = 7 * 86_400_000;

/** Ended invitations are kept this long (listed with their state), then dropped as new ones are made. */
export const ENDED_INVITATIONS_KEPT_MS = 30 * 86_400_000;

export interface InvitationTimes {
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

/** An invitation is accepted once used, revoked once revoked, expired past its end, pending otherwise. */
export function invitationState(row: InvitationTimes, now: number): InvitationState {
  if (row.used_at !== null) return 'accepted';
  if (row.revoked_at !== null) return 'revoked';
  if (now >= row.expires_at) return 'expired';
  return 'pending';
}
