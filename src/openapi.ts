import { readFileSync } from 'node:fs';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { KEY_HEADER } from './auth/hook.js';
import { PERMISSION_SCOPES, PERMISSIONS } from './auth/permissions.js';
import { markPublic } from './http/gate.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Request headers the route reads without validating them; they are documented as if it did. */
    documentedHeaders?: unknown;
  }
}

/** The package's version is the document's: one number for what is deployed and what it promises. */
const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
export const API_VERSION = PACKAGE.version;

/**
 * The OpenAPI 3.1 document (`/openapi.json`) and its interactive page (`/docs`), generated from
 * the routes' own schemas. A route's permission (its config) becomes its security requirement,
 * `x-permission` and the first line of its description, so what is enforced and what is
 * documented cannot differ; a route without one is public and says so (`security: []`).
 */
export async function installOpenApi(app: FastifyInstance, options: { publicUrl: string | null }): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Inbox agents API',
        version: API_VERSION,
        license: { name: 'Proprietary', url: 'https://inbox-agents.example.com/license' },
        description:
          'Who of a chatbot\'s agents is online, each agent\'s own status, and each agent\'s notification settings. Every error body is `{ "error": "...", "code": "..." }`. Each route needs one permission (see `x-permission`): on resource `chatbots/:chatbotId` for routes on a chatbot, on the install for the others (only operator keys hold install permissions); grants may end in `.*` or be `*`. Lists of the provisioning API are cursor-paged: `?limit=` (1–200, default 50) and `?cursor=`, answered as `{ items, nextCursor }`.',
      },
      // Where "Try it out" sends requests: PUBLIC_URL when set; otherwise the origin the document was read from (a relative URL).
      servers: [
        options.publicUrl
          ? { url: options.publicUrl, description: 'This service (PUBLIC_URL)' }
          : { url: '/', description: 'This service, at the address this document was read from (set PUBLIC_URL to name it)' },
      ],
      components: {
        securitySchemes: {
          chatcaptainKey: { type: 'apiKey', in: 'header', name: KEY_HEADER, description: 'An agent key, a chatbot key or an operator key (`cck_…`).' },
          streamTicket: {
            type: 'apiKey',
            in: 'query',
            name: 'ticket',
            description:
              'A single-use stream ticket (`cct_…`, 60 s) from POST …/agents/online/stream-tickets, for EventSource, which cannot send headers. Only the stream accepts it.',
          },
        },
      },
      tags: [
        { name: 'presence', description: 'Who is available, and why: the list, the stream, chosen statuses, activity, working hours, capacity' },
        { name: 'assignments', description: 'Who takes the next chat: atomic, capacity-reserving, explained assignment; release and transfer' },
        { name: 'reports', description: 'Who was available when: history and time in state' },
        { name: 'webhooks', description: 'Availability changes sent to integrations, signed as Standard Webhooks specifies' },
        { name: 'notifications', description: "An agent's own notification settings and devices, and browser notifications integrations send" },
        { name: 'chatbots', description: 'Provisioning: chatbots, their members and their audit log' },
        { name: 'agents', description: 'Provisioning: the agent directory, synced by externalId' },
        { name: 'keys', description: 'Provisioning: agent, chatbot and operator keys; a key makes only keys it could act as itself' },
        { name: 'audit', description: 'Who changed what, newest first' },
        { name: 'operations', description: 'Health and readiness' },
      ],
      'x-permissions': [...PERMISSIONS],
    } as never,
    // Error schemas of statuses no route documents (405, 417, …: answered below the routes, see
    // the README) are left out, so every component is one a route uses.
    transformObject: (documentObject) => {
      const openapiObject = 'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
      const document = openapiObject as { components?: { schemas?: Record<string, unknown> }; paths?: unknown };
      const used = JSON.stringify(document.paths);
      for (const name of Object.keys(document.components?.schemas ?? {})) {
        if (/^Error\d{3}$/.test(name) && !used.includes(`#/components/schemas/${name}"`)) delete document.components!.schemas![name];
      }
      return openapiObject;
    },
    // Shared schemas appear under their own names (Error401) rather than def-0.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: ({ schema: routeSchema, url, route }) => {
      // Headers a route reads but does not validate (see documentedHeaders) are documented all the same.
      const documentedHeaders = route.config?.documentedHeaders;
      const schema = documentedHeaders ? ({ ...routeSchema, headers: documentedHeaders } as typeof routeSchema) : routeSchema;
      const permission = route.config?.permission;
      if (!permission) return { url, schema: { ...schema, security: [] } as typeof schema };
      const security = route.config?.acceptsTicket ? [{ chatcaptainKey: [] }, { streamTicket: [] }] : [{ chatcaptainKey: [] }];
      return {
        url,
        schema: {
          ...schema,
          security,
          'x-permission': permission,
          description: [
            PERMISSION_SCOPES[permission] === 'install'
              ? `Required permission: \`${permission}\` on the install (operator keys).`
              : `Required permission: \`${permission}\` on resource \`chatbots/:chatbotId\`.`,
            schema?.description,
          ]
            .filter(Boolean)
            .join('\n\n'),
        } as unknown as typeof schema,
      };
    },
  });
  await app.register(async (scope) => {
    markPublic(scope);
    await scope.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
