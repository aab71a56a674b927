import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../errors.js';

const Status = Type.Object({ status: Type.String() });

/** Liveness and readiness probes for process supervisors and load balancers. */
export const opsRoutes: FastifyPluginAsyncTypebox<{ ping: () => Promise<void> }> = async (app, { ping }) => {
  app.get(
    '/healthz',
    { schema: { summary: 'The process is up', tags: ['operations'], response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'The service can answer requests: its database is reachable',
        tags: ['operations'],
        response: { 200: Status, ...errorResponses(503) },
      },
    },
    async (request) => {
      try {
        await ping();
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        throw new AppError('service_unavailable', 'the database is not reachable');
      }
      return { status: 'ready' };
    },
  );
};
