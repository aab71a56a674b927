import type { FastifyBaseLogger } from 'fastify';
import { LRUCache } from 'lru-cache';

export type PushService = 'webpush' | 'fcm';

/** How many recent sends per service decide whether it is degraded. */
const RECENT_SENDS = 20;
/** A device's failures are logged at most this often. */
const WARN_EVERY_MS = 60_000;

const SERVICE_NAME: Record<PushService, string> = { webpush: 'Web Push', fcm: 'FCM' };

/**
 * What an operator learns about each push service, from the sends themselves:
 *
 * - **broken**: it refused our credentials (401/403, or a refused service account). Logged at
 *   error once per change; the next success clears it.
 * - **degraded**: more than half of its last 20 sends failed (no answer, refused connections,
 *   DNS failures, 429, 5xx). Each failing device is logged at warn at most once a minute, with
 *   the device id, the service's host and what happened, never the endpoint's path or keys.
 *
 * /readyz shows both in `details.push`; neither makes the instance unready, since it still
 * serves the API.
 */
export class PushHealth {
  readonly #problems = new Map<PushService, { error: string; since: number }>();
  readonly #recent: Record<PushService, { results: boolean[]; lastError: string | null }> = {
    webpush: { results: [], lastError: null },
    fcm: { results: [], lastError: null },
  };
  readonly #warnedAt = new LRUCache<string, number>({ max: 10_000 });

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly configured: Record<PushService, boolean>,
  ) {}

  #record(service: PushService, ok: boolean, error: string | null): void {
    const recent = this.#recent[service];
    recent.results.push(ok);
    if (recent.results.length > RECENT_SENDS) recent.results.shift();
    if (error) recent.lastError = error;
  }

  /** The service answered: the push was accepted (or the device is gone, which is not the service's fault). */
  answered(service: PushService): void {
    this.#record(service, true, null);
    if (this.#problems.delete(service)) this.log.info({ service }, 'push configuration works again');
  }

  /** A send failed and will be retried or given up; logged per device at most once a minute. */
  sendFailed(service: PushService, failure: { deviceId: string; host: string; error: string }, at: number): void {
    this.#record(service, false, failure.error);
    const last = this.#warnedAt.get(failure.deviceId);
    if (last !== undefined && at - last < WARN_EVERY_MS) return;
    this.#warnedAt.set(failure.deviceId, at);
    this.log.warn({ service, device: failure.deviceId, host: failure.host, problem: failure.error }, `a push to ${SERVICE_NAME[service]} failed`);
  }

  /** The service refused our credentials: every push to it fails until the configuration is fixed. */
  broken(service: PushService, error: string, at: number): void {
    this.#record(service, false, error);
    const known = this.#problems.get(service);
    if (known?.error === error) return;
    this.#problems.set(service, { error, since: known?.since ?? at });
    this.log.error(
      { service, problem: error },
      `push configuration broken: ${SERVICE_NAME[service]} refused our credentials; deliveries to it fail until the configuration is fixed`,
    );
  }

  /** For /readyz: "ok", "not configured", "broken since …: …", or "degraded: …". */
  details(): Record<PushService, string> {
    const describe = (service: PushService) => {
      const problem = this.#problems.get(service);
      if (problem) return `broken since ${new Date(problem.since).toISOString()}: ${problem.error}`;
      if (!this.configured[service]) return 'not configured';
      const { results, lastError } = this.#recent[service];
      const failed = results.filter((ok) => !ok).length;
      if (failed * 2 > results.length) return `degraded: ${failed} of the last ${results.length} sends failed; the last failure: ${lastError ?? 'unknown'}`;
      return 'ok';
    };
    return { webpush: describe('webpush'), fcm: describe('fcm') };
  }
}
