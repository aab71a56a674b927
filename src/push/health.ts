import type { FastifyBaseLogger } from 'fastify';

export type PushService = 'webpush' | 'fcm';

/**
 * Whether each push service accepts our credentials, as last seen. A 401/403 (or a refused
 * service account) marks the configuration broken: logged at error once per change and shown
 * in /readyz; the next success clears it.
 */
export class PushHealth {
  readonly #problems = new Map<PushService, { error: string; since: number }>();

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly configured: Record<PushService, boolean>,
  ) {}

  broken(service: PushService, error: string, at: number): void {
    const known = this.#problems.get(service);
    if (known?.error === error) return;
    this.#problems.set(service, { error, since: known?.since ?? at });
    this.log.error({ service, problem: error }, `push configuration broken: ${service === 'fcm' ? 'FCM' : 'Web Push'} refused our credentials; deliveries to it fail until the configuration is fixed`);
  }

  working(service: PushService): void {
    if (this.#problems.delete(service)) this.log.info({ service }, 'push configuration works again');
  }

  /** For /readyz: "ok", "not configured", or what is broken since when. */
  details(): Record<PushService, string> {
    const describe = (service: PushService) => {
      const problem = this.#problems.get(service);
      if (problem) return `broken since ${new Date(problem.since).toISOString()}: ${problem.error}`;
      return this.configured[service] ? 'ok' : 'not configured';
    };
    return { webpush: describe('webpush'), fcm: describe('fcm') };
  }
}
