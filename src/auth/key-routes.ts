import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from './actor.js';
import { AppError, errorResponses, PROTECTED_READ_ERRORS, PROTECTED_WRITE_ERRORS } from '../errors.js';
import { PAGE_RULES, PageOf, pageOf, PageQuery } from '../http/paging.js';
import { ChatbotParams } from '../http-schemas.js';
import { MAX_OVERLAP_SECONDS, type KeyService } from './keys.js';

const Time = Type.String({ format: 'date-time' });
const NullableTime = (description: string) => Type.Union([Time, Type.Null()], { description });
const Grants = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: 50,
  description: 'Permissions, each exact (`chatbots.inbox.agents.list`), a prefix ending in `.*`, or `*`.',
});
const KeyName = Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], { description: 'What the key is for, to recognise it in listings.' });

export const KEY_RULES = {
  kind: 'kind must be "agent" (a key acting as a member, with agentId) or "chatbot" (an integration key, with permissions)',
  permissions: 'permissions must be a list of 1 to 50 permissions (exact names, prefixes ending in ".*", or "*")',
  name: 'name must be 1 to 200 characters, or null',
  overlapSeconds: `overlapSeconds must be a whole number from 0 to ${MAX_OVERLAP_SECONDS}: how long the previous secret stays valid`,
};

export const KeyListing = Type.Object(
  {
    id: Type.String({ examples: ['key_3kq9wz1x8v7c6b5n'] }),
    kind: Type.Union([Type.Literal('agent'), Type.Literal('chatbot'), Type.Literal('operator')]),
    name: Type.Union([Type.String(), Type.Null()]),
    agentId: Type.Union([Type.String(), Type.Null()], { description: 'The agent an agent key acts as.' }),
    chatbotId: Type.Union([Type.String(), Type.Null()], { description: 'The chatbot of a chatbot key.' }),
    permissions: Type.Array(Type.String(), { description: "A chatbot or operator key's grants; an agent key's come from its agent's roles (empty here)." }),
    hint: Type.String({ description: "The secret's last four characters.", examples: ['cck_…x9Qa'] }),
    createdAt: Time,
    lastUsedAt: NullableTime('When the key was last used, to the minute; null if never.'),
    revokedAt: NullableTime('When the key was revoked; null while it works.'),
    previousSecretValidUntil: NullableTime('After a rotation: until when the previous secret is still accepted.'),
    expiresAt: NullableTime("A browser's key (made by a sign-in link): when it ends unless used before (30 days after its last use, known to the minute); null for other keys."),
  },
  { title: 'KeyListing' },
);

const NewKey = Type.Object(
  { ...KeyListing.properties, key: Type.String({ description: 'The secret. Shown this once: store it now.', examples: ['cck_4Vt0a9…'] }) },
  { title: 'NewKey' },
);

const CreateChatbotKeyBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('agent'), Type.Literal('chatbot')]),
    agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'kind agent: the member the key acts as.' })),
    permissions: Type.Optional(Grants),
    name: Type.Optional(KeyName),
  },
  { additionalProperties: false },
);

const CreateOperatorKeyBody = Type.Object({ permissions: Grants, name: Type.Optional(KeyName) }, { additionalProperties: false });

const RotateBody = Type.Object(
  { overlapSeconds: Type.Integer({ minimum: 0, maximum: MAX_OVERLAP_SECONDS, description: 'How long the previous secret stays valid: 0 refuses it at once (a leaked key).' }) },
  { additionalProperties: false },
);

const KeyParams = Type.Object({ keyId: Type.String({ minLength: 1, maxLength: 200, description: 'The ID of the key.' }) });
const ChatbotKeyParams = Type.Object({ ...ChatbotParams.properties, ...KeyParams.properties });

const KeyListQuery = Type.Object({
  ...PageQuery.properties,
  kind: Type.Optional(Type.Union([Type.Literal('agent'), Type.Literal('chatbot'), Type.Literal('operator')], { description: 'Only keys of this kind.' })),
  agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Only this agent's keys." })),
});

const KeyPage = PageOf(KeyListing, 'KeyPage');
const Revoked = Type.Null({ description: 'Revoked (revoking twice is harmless)' });
const LIST_RULES = { ...PAGE_RULES, kind: 'kind must be agent, chatbot or operator' };

/**
 * Keys over HTTP: a chatbot's keys (its integration keys and its members' agent keys) and the
 * install's operator keys. Secrets are shown once, when made or rotated; listings show the last
 * four characters. What a key may make is decided by the escalation rules in the key service.
 */
export const keyRoutes: FastifyPluginAsyncTypebox<{ keys: KeyService }> = async (app, { keys }) => {
  app.get(
    '/v1/chatbots/:chatbotId/keys',
    {
      config: { permission: 'chatbots.keys.list', rateClass: 'reads', fieldRules: LIST_RULES },
      schema: {
        summary: "Lists a chatbot's keys, without secrets",
        description: "Its chatbot keys and its members' agent keys, oldest first, a page at a time.",
        tags: ['keys'],
        operationId: 'listChatbotKeys',
        params: ChatbotParams,
        querystring: KeyListQuery,
        response: { 200: { ...KeyPage, description: 'A page of keys' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400) },
      },
    },
    async (request) => {
      const { kind, agentId } = request.query;
      if (kind === 'operator') return { items: [], nextCursor: null };
      return keys.listKeys({ chatbotId: request.params.chatbotId, kind, agentId }, pageOf(request.query));
    },
  );

  app.post(
    '/v1/chatbots/:chatbotId/keys',
    {
      config: { permission: 'chatbots.keys.create', rateClass: 'admin', fieldRules: KEY_RULES },
      schema: {
        summary: 'Makes a key: an agent key for a member, or a chatbot key with grants',
        description:
          '`{"kind": "agent", "agentId": …}` makes a key that acts as that member, with its role in each of its chatbots; `{"kind": "chatbot", "permissions": […]}` makes an integration key with those grants on this chatbot only. A key can only make keys whose power it holds itself: grants it covers, and agent keys only for agents whose roles it holds in every chatbot they belong to. The secret is in the answer, this once.',
        tags: ['keys'],
        operationId: 'createChatbotKey',
        params: ChatbotParams,
        body: CreateChatbotKeyBody,
        response: { 201: { ...NewKey, description: 'The key, with its secret' }, ...errorResponses(...PROTECTED_WRITE_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      const { chatbotId } = request.params;
      const { kind, agentId, permissions, name } = request.body;
      const actor = actorOf(request);
      if (kind === 'agent') {
        if (agentId === undefined) throw new AppError('invalid_request', 'agentId is required for an agent key');
        if (permissions !== undefined) throw new AppError('invalid_request', "an agent key has no permissions of its own (it acts with its agent's roles); leave out permissions");
        return reply.code(201).send(await keys.createAgentKey(actor, { agentId, chatbotId, name }));
      }
      if (permissions === undefined) throw new AppError('invalid_request', 'permissions is required for a chatbot key');
      if (agentId !== undefined) throw new AppError('invalid_request', 'a chatbot key acts for no agent; leave out agentId');
      return reply.code(201).send(await keys.createChatbotKey(actor, { chatbotId, permissions, name }));
    },
  );

  app.delete(
    '/v1/chatbots/:chatbotId/keys/:keyId',
    {
      config: { permission: 'chatbots.keys.revoke', rateClass: 'admin' },
      schema: {
        summary: 'Revokes a key of the chatbot',
        description: 'Every later request with it is refused (401 revoked_key), on every instance. A key may revoke itself, and keys it could have made.',
        tags: ['keys'],
        operationId: 'revokeChatbotKey',
        params: ChatbotKeyParams,
        response: { 204: Revoked, ...errorResponses(...PROTECTED_READ_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      await keys.revokeKey(actorOf(request), request.params.keyId, request.params.chatbotId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/chatbots/:chatbotId/keys/:keyId/rotate',
    {
      config: { permission: 'chatbots.keys.create', rateClass: 'admin', fieldRules: KEY_RULES },
      schema: {
        summary: 'Gives a key of the chatbot a new secret',
        description:
          'The previous secret stays valid for `overlapSeconds` (0 to 86,400), then answers 401 rotated_key; the key keeps its id, grants and history. The new secret is in the answer, this once. A revoked key cannot be rotated (409 key_revoked).',
        tags: ['keys'],
        operationId: 'rotateChatbotKey',
        params: ChatbotKeyParams,
        body: RotateBody,
        response: { 200: { ...NewKey, description: 'The key, with its new secret' }, ...errorResponses(...PROTECTED_WRITE_ERRORS, 404, 409) },
      },
    },
    async (request) => keys.rotateKey(actorOf(request), request.params.keyId, request.params.chatbotId, request.body.overlapSeconds),
  );

  app.get(
    '/v1/keys',
    {
      config: { permission: 'keys.list', rateClass: 'reads', fieldRules: LIST_RULES },
      schema: {
        summary: 'Lists every key of the install, without secrets',
        description: 'Oldest first, a page at a time; `kind` and `agentId` narrow it.',
        tags: ['keys'],
        operationId: 'listKeys',
        querystring: KeyListQuery,
        response: { 200: { ...KeyPage, description: 'A page of keys' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400) },
      },
    },
    async (request) => keys.listKeys({ kind: request.query.kind, agentId: request.query.agentId }, pageOf(request.query)),
  );

  app.post(
    '/v1/keys',
    {
      config: { permission: 'keys.create', rateClass: 'admin', fieldRules: KEY_RULES },
      schema: {
        summary: 'Makes an operator key',
        description:
          'An install-wide key, with grants the calling operator key holds itself (`*` only from a `*` key). Install permissions (chatbots.create, agents.sync, …) and chatbot permissions (`chatbots.*` and below) on every chatbot. The secret is in the answer, this once.',
        tags: ['keys'],
        operationId: 'createOperatorKey',
        body: CreateOperatorKeyBody,
        response: { 201: { ...NewKey, description: 'The key, with its secret' }, ...errorResponses(...PROTECTED_WRITE_ERRORS) },
      },
    },
    async (request, reply) => reply.code(201).send(await keys.createOperatorKey(actorOf(request), request.body)),
  );

  app.delete(
    '/v1/keys/:keyId',
    {
      config: { permission: 'keys.revoke', rateClass: 'admin' },
      schema: {
        summary: 'Revokes any key of the install',
        description: 'Only a key the calling key could have made (or itself).',
        tags: ['keys'],
        operationId: 'revokeKey',
        params: KeyParams,
        response: { 204: Revoked, ...errorResponses(...PROTECTED_READ_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      await keys.revokeKey(actorOf(request), request.params.keyId, 'any');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/keys/:keyId/rotate',
    {
      config: { permission: 'keys.create', rateClass: 'admin', fieldRules: KEY_RULES },
      schema: {
        summary: 'Gives any key of the install a new secret',
        description: "As for a chatbot's key: the previous secret stays valid for `overlapSeconds` (0 to 86,400). Only a key the calling key could have made.",
        tags: ['keys'],
        operationId: 'rotateKey',
        params: KeyParams,
        body: RotateBody,
        response: { 200: { ...NewKey, description: 'The key, with its new secret' }, ...errorResponses(...PROTECTED_WRITE_ERRORS, 404, 409) },
      },
    },
    async (request) => keys.rotateKey(actorOf(request), request.params.keyId, 'any', request.body.overlapSeconds),
  );
};
