/**
 * Liveness per device: whether an agent shows a sign of life, judged device by device. A device
 * is one API key (each browser gets its own from its sign-in link; a phone app or an
 * integration has its own). Pure: the same signals and the same moment give the same answer.
 *
 * | the device                                              | alive until                  |
 * |---------------------------------------------------------|------------------------------|
 * | holds a stream (on any instance)                        | for ever (while it holds it) |
 * | its last stream closed; no post after the close         | the close + the grace        |
 * | its last stream closed; posted after the close          | that post + the TTL          |
 * | never held a stream; posted                             | the last post + the TTL      |
 * | nothing at all                                          | dead                         |
 *
 * A post made while the device held a stream is no later than the close, so it never outlives
 * that stream's grace: closing a browser lists its agent offline at close + grace, whatever the
 * browser posted before. A TTL of 0 keeps posts alive for ever (auto-offline off); a closed
 * stream still ends after its grace. An agent is alive while any of its devices is.
 */

/** What liveness needs of one device (an API key of the agent, on one chatbot). */
export interface DeviceSignals {
  keyId: string;
  /** The last sign of life posted with the key (a status, a chosen status, activity); null: none. */
  postedAt: number | null;
  /** When the key's last stream closed (its grace runs from here); null: none closed. */
  closedAt: number | null;
  /** Instances holding an open stream of the key now. */
  streams: number;
}

export interface LivenessSettings {
  /** Milliseconds a post keeps a device alive; 0: for ever. */
  ttlMillis: number;
  /** Milliseconds a device stays alive after its last stream closed. */
  graceMillis: number;
}

/** Until when a device is alive: +Infinity while it holds a stream; null when it never was. */
export function deviceAliveUntil(device: DeviceSignals, { ttlMillis, graceMillis }: LivenessSettings): number | null {
  if (device.streams > 0) return Number.POSITIVE_INFINITY;
  const posted = device.postedAt;
  if (device.closedAt !== null && (posted === null || posted <= device.closedAt)) return device.closedAt + graceMillis;
  if (posted === null) return null;
  return ttlMillis === 0 ? Number.POSITIVE_INFINITY : posted + ttlMillis;
}

/** An agent's liveness at a moment, from its devices. */
export interface AgentLiveness {
  /** Until when the agent is alive: its longest-lived device's end (+Infinity while one streams); null: no device ever. */
  aliveUntil: number | null;
  /** Devices alive at the moment. */
  devices: number;
  /** Whether a device holds a stream now. */
  connected: boolean;
  /** The next moment after `at` when a device now alive dies, so the count changes (null: none). */
  nextDeviceChangeAt: number | null;
}

/** The agent's liveness at `at`: alive exactly when one of its devices is (see the table above). */
export function agentLiveness(devices: readonly DeviceSignals[], at: number, settings: LivenessSettings): AgentLiveness {
  let aliveUntil: number | null = null;
  let alive = 0;
  let connected = false;
  let nextDeviceChangeAt: number | null = null;
  for (const device of devices) {
    const until = deviceAliveUntil(device, settings);
    if (until === null) continue;
    if (device.streams > 0) connected = true;
    if (aliveUntil === null || until > aliveUntil) aliveUntil = until;
    if (until <= at) continue;
    alive++;
    if (Number.isFinite(until) && (nextDeviceChangeAt === null || until < nextDeviceChangeAt)) nextDeviceChangeAt = until;
  }
  return { aliveUntil, devices: alive, connected, nextDeviceChangeAt };
}
