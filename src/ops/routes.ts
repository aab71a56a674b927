import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../errors.js';

const Status = Type.Object({ status: Type.String() });
const Readiness = Type.Object({
  status: Type.String(),
  details: Type.Optional(
    Type.Object(
      { push: Type.Object({ webpush: Type.String(), fcm: Type.String() }) },
      { description: 'Push configuration: "ok", "not configured", or "broken since …: …" after a push service refused our credentials (the instance stays ready: it still serves the API).' },
    ),
  ),
});

export interface ReadinessCheck {
  /** What is checked, as named in the 503 answer ("the database", "Redis"). */
  name: string;
  ping: () => Promise<void>;
}

/** Liveness and readiness probes for process supervisors and load balancers. */
export const opsRoutes: FastifyPluginAsyncTypebox<{ checks: ReadinessCheck[]; details?: () => { push: { webpush: string; fcm: string } } }> = async (
  app,
  { checks, details },
) => {
  app.get(
    '/healthz',
    { schema: { summary: 'The process is up', tags: ['operations'], response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'The service can answer requests: its database (and Redis, when configured) is reachable',
        tags: ['operations'],
        response: { 200: Readiness, ...errorResponses(503) },
      },
    },
    async (request) => {
      const results = await Promise.allSettled(checks.map((check) => check.ping()));
      const failed = checks.filter((_, i) => results[i]?.status === 'rejected');
      if (failed.length > 0) {
        request.log.warn({ failed: failed.map((check) => check.name) }, 'readiness check failed');
        throw new AppError('service_unavailable', `${failed.map((check) => check.name).join(' and ')} ${failed.length > 1 ? 'are' : 'is'} not reachable`);
      }
      return details ? { status: 'ready', details: details() } : { status: 'ready' };
    },
  );
};
