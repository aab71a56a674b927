import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, errorResponses, PUBLIC_ERRORS } from '../errors.js';
import { SHUTTING_DOWN } from '../http/edges.js';

const Status = Type.Object({ status: Type.String({ examples: ['ok'] }) }, { title: 'Health', description: 'The process is up' });
const Readiness = Type.Object(
  {
    status: Type.String({ examples: ['ready'] }),
    details: Type.Optional(
      Type.Object(
        { push: Type.Object({ webpush: Type.String(), fcm: Type.String() }) },
        {
          description:
            'Each push service: "ok", "not configured", "degraded: …" (more than half of its last 20 sends failed: unreachable, 429, 5xx; with the last failure), or "broken since …: …" (it refused our credentials). The instance stays ready either way: it still serves the API.',
        },
      ),
    ),
  },
  { title: 'Readiness', description: 'The database (and Redis, when configured) answered' },
);

export interface ReadinessCheck {
  /** What is checked, as named in the 503 answer ("the database", "Redis"). */
  name: string;
  ping: () => Promise<void>;
}

/** Liveness and readiness probes for process supervisors and load balancers. */
export const opsRoutes: FastifyPluginAsyncTypebox<{
  checks: ReadinessCheck[];
  details?: () => { push: { webpush: string; fcm: string } };
  /** True once the service is shutting down: it is no longer ready. */
  isClosing: () => boolean;
}> = async (app, { checks, details, isClosing }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { summary: 'The process is up', tags: ['operations'], operationId: 'getHealth', response: { 200: Status, ...errorResponses(...PUBLIC_ERRORS, 503) } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        summary: 'The service can answer requests: its database (and Redis, when configured) is reachable',
        tags: ['operations'],
        operationId: 'getReadiness',
        response: { 200: Readiness, ...errorResponses(...PUBLIC_ERRORS, 503) },
      },
    },
    async (request) => {
      if (isClosing()) throw SHUTTING_DOWN();
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
