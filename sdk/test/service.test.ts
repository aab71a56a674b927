import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import { CuttableProxy, throughProxy } from '../../test/helpers/proxy.js';
import {
  createInboxClient,
  InboxApiError,
  ok,
  PresenceStream,
  setMyStatus,
  startActivityReporter,
  untilIn,
  watchPresence,
  type AgentEntry,
  type ConnectionState,
  type OrphanedAssignments,
  type AssignmentEvent,
  type QueueEvent,
} from '../src/index.js';
import { provisionTeam, startService, until, type Service } from './helpers.js';

/** The `eventsource` package's EventSource, recording each URL opened and each event type seen. */
function recordingEventSource() {
  const opened: string[] = [];
  const events: string[] = [];
  class Recording extends EventSource {
    constructor(url: string) {
      super(url);
      opened.push(url);
      for (const type of ['snapshot', 'presence', 'batch', 'assignment.orphaned', 'assignment.created', 'assignment.transferred', 'assignment.released'])
        this.addEventListener(type, () => events.push(type));
    }
  }
  return { Recording, opened, events };
}

describe('the SDK against the real service', () => {
  let service: Service;
  before(async () => {
    service = await startService({ PRESENCE_GRACE_SECONDS: '2' });
  });
  after(async () => {
    await service?.close();
  });

  it('the typed client provisions and reads; an error answer becomes an InboxApiError with the documented code', async () => {
    const team = await provisionTeam(service, ['Ada', 'Grace']);
    const { agents } = ok(await service.operator.GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId: team.chatbotId } } }));
    assert.deepEqual(
      agents.map((agent) => [agent.name, agent.state, agent.reason]),
      [
        ['Ada', 'offline', 'no_sign_of_life'],
        ['Grace', 'offline', 'no_sign_of_life'],
      ],
    );
    const nobody = createInboxClient({ baseUrl: service.url, apiKey: 'cck_not-a-key' });
    await assert.rejects(
      async () => ok(await nobody.GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId: team.chatbotId } } })),
      (error: unknown) => error instanceof InboxApiError && error.status === 401 && error.code === 'invalid_key' && error.message.length > 0,
    );
    const ada = team.agents[0]!;
    await assert.rejects(
      () => setMyStatus(ada.api, team.chatbotId, 'busy', { text: 'x'.repeat(101) }),
      (error: unknown) => error instanceof InboxApiError && error.status === 400 && error.code === 'invalid_request' && /text/.test(error.message),
    );
  });

  it('setMyStatus chooses a status with text and an end, and offline; the list shows what the server derived', async () => {
    const team = await provisionTeam(service, ['Ada']);
    const ada = team.agents[0]!;
    const list = async () => ok(await service.operator.GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId: team.chatbotId } } })).agents[0]!;
    const until = untilIn(30);
    await setMyStatus(ada.api, team.chatbotId, 'busy', { text: 'In a meeting', until });
    const busy = await list();
    assert.deepEqual([busy.state, busy.reason, busy.statusText, busy.statusUntil, busy.online], ['busy', 'chosen', 'In a meeting', until.toISOString(), true]);
    await setMyStatus(ada.api, team.chatbotId, 'offline');
    const offline = await list();
    assert.deepEqual([offline.state, offline.reason, offline.online], ['offline', 'chosen_offline', false]);
    await setMyStatus(ada.api, team.chatbotId, 'available');
    const back = await list();
    assert.deepEqual([back.state, back.reason, back.statusText, back.online], ['available', 'ready', null, true], 'online: true returns from offline; available clears the text');
  });

  it('watchPresence folds the snapshot and events; after a network cut it resumes with since: the change made meanwhile arrives once, with no new snapshot', async () => {
    const team = await provisionTeam(service, ['Ada', 'Grace']);
    const [ada, grace] = team.agents as [(typeof team.agents)[number], (typeof team.agents)[number]];
    const proxy = new CuttableProxy({ host: '127.0.0.1', port: Number(new URL(service.url).port) });
    await proxy.start();
    const recorder = recordingEventSource();
    const states: ConnectionState[] = [];
    const errors: string[] = [];
    let latest: ReadonlyMap<string, AgentEntry> = new Map();
    const stream = watchPresence({
      baseUrl: throughProxy(service.url, proxy),
      chatbotId: team.chatbotId,
      apiKey: team.integrationKey,
      EventSource: recorder.Recording,
      backoff: { initialMs: 300, maxMs: 1000 },
      onChange: (agents) => (latest = agents),
      onState: (state) => states.push(state),
      onError: (error) => errors.push(error.message),
    });
    try {
      await until('the snapshot', () => latest.size === 2);
      assert.equal(stream.state, 'open');
      await setMyStatus(ada.api, team.chatbotId, 'available');
      await until('Ada available', () => latest.get(ada.id)?.state === 'available');

      await proxy.cut();
      await until('the stream to notice the cut', () => stream.state === 'reconnecting');
      const before = stream.lastEventId!;
      await setMyStatus(grace.api, team.chatbotId, 'away', { text: 'Lunch' }); // made while this client is cut off
      await proxy.start();
      await until('Grace away after the reconnect', () => latest.get(grace.id)?.state === 'away', 15_000);

      assert.equal(latest.get(grace.id)?.statusText, 'Lunch');
      assert.equal(latest.get(ada.id)?.state, 'available', 'what was known before the cut is kept');
      assert.equal(recorder.events.filter((type) => type === 'snapshot').length, 1, 'resumed after the last event: no second snapshot');
      assert.ok(recorder.events.includes('batch') && !recorder.events.includes('presence'), `changes come in batches: ${recorder.events.join(', ')}`);
      const resumedFrom = recorder.opened.map((url) => new URL(url).searchParams.get('since')).filter((since) => since !== null);
      assert.ok(resumedFrom.includes(String(before)), `a reconnect resumed after event ${before}: ${resumedFrom.join(', ')}`);
      for (const url of recorder.opened) {
        assert.match(new URL(url).searchParams.get('ticket') ?? '', /^cct_/, 'only a one-time ticket in the URL');
        assert.equal(new URL(url).searchParams.get('batch'), 'true', 'asks for batches');
        assert.ok(!url.includes(team.integrationKey), 'never the key');
      }
      assert.deepEqual(states.slice(0, 2), ['connecting', 'open']);
      assert.ok(states.includes('reconnecting') && states.at(-1) === 'open', `states: ${states.join(' → ')}`);
      assert.ok(errors.length > 0, 'each failure was reported');
    } finally {
      stream.stop();
      await proxy.cut();
    }
    assert.equal(stream.state, 'stopped');
  });

  it('watchPresence recovers by itself from a server restart and sees the changes made since', async () => {
    const team = await provisionTeam(service, ['Ada']);
    const ada = team.agents[0]!;
    const states: ConnectionState[] = [];
    let latest: ReadonlyMap<string, AgentEntry> = new Map();
    let applied: number[] = [];
    const stream = new PresenceStream({
      baseUrl: service.url,
      chatbotId: team.chatbotId,
      apiKey: team.integrationKey,
      backoff: { initialMs: 200, maxMs: 1000 },
      onChange: (agents) => {
        latest = agents;
        applied = [...applied, stream.lastEventId!];
      },
      onState: (state) => states.push(state),
    }).start();
    try {
      await until('the snapshot', () => latest.size === 1);
      await service.restart();
      await until('the reconnect', () => states.includes('reconnecting') && stream.state === 'open', 15_000);
      await setMyStatus(ada.api, team.chatbotId, 'dnd', { text: 'Focus time' });
      await until('Ada in do not disturb', () => latest.get(ada.id)?.state === 'dnd');
      assert.equal(latest.get(ada.id)?.statusText, 'Focus time');
      const ids = applied.filter((_, index) => index > 0);
      assert.deepEqual(
        ids,
        [...new Set(ids)].sort((a, b) => a - b),
        `every event applied once, in order: ${applied.join(', ')}`,
      );
    } finally {
      stream.stop();
    }
  });

  it('the activity reporter ignores input on a hidden page, reports when it becomes visible, and sends at most one report per window', async () => {
    const team = await provisionTeam(service, ['Ada']);
    const ada = team.agents[0]!;
    const sent: number[] = [];
    const answers: number[] = [];
    // The real client, counting the requests it really sends.
    const api = createInboxClient({
      baseUrl: service.url,
      apiKey: ada.key,
      fetch: async (request) => {
        sent.push(Date.now());
        const response = await fetch(request);
        answers.push(response.status);
        return response;
      },
    });
    const target = new EventTarget();
    const page = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    const reporter = startActivityReporter({ api, chatbotId: team.chatbotId, target, document: page, intervalMs: 600 });
    try {
      target.dispatchEvent(new Event('keydown'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(sent.length, 0, 'a hidden page reports nothing, not even on start');
      page.visibilityState = 'visible';
      page.dispatchEvent(new Event('visibilitychange'));
      await until('the report on becoming visible', () => answers.length === 1);
      for (const type of ['pointermove', 'keydown', 'wheel', 'scroll', 'touchstart']) target.dispatchEvent(new Event(type));
      await until('the trailing report', () => answers.length === 2, 3000);
      assert.ok(sent[1]! - sent[0]! >= 550, `the second report waited for the window's end (${sent[1]! - sent[0]!} ms)`);
      assert.deepEqual(answers, [200, 200]);
      const listed = ok(await service.operator.GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId: team.chatbotId } } })).agents[0]!;
      assert.ok(listed.lastActiveAt, 'the service recorded the activity');
    } finally {
      reporter.stop();
    }
    target.dispatchEvent(new Event('keydown'));
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(sent.length, 2, 'stopped: input reports nothing');
  });

  it('watchPresence tells onOrphaned of an agent gone with open chats (the shortest reassignAfterSeconds, 10 s), once, and a resume goes past it', async () => {
    const team = await provisionTeam(service, ['Ada', 'Grace']);
    const [ada, grace] = team.agents as [(typeof team.agents)[number], (typeof team.agents)[number]];
    ok(await service.operator.PATCH('/v1/chatbots/{chatbotId}', { params: { path: { chatbotId: team.chatbotId } }, body: { reassignAfterSeconds: 10 } }));
    await setMyStatus(ada.api, team.chatbotId, 'available');
    const given = ok(await service.operator.POST('/v1/inbox/{chatbotId}/assignments', { params: { path: { chatbotId: team.chatbotId } }, body: { conversationId: 'visitor-42' } }));
    assert.equal(given.agentId, ada.id);
    const recorder = recordingEventSource();
    const orphaned: OrphanedAssignments[] = [];
    let latest: ReadonlyMap<string, AgentEntry> = new Map();
    const stream = watchPresence({
      baseUrl: service.url,
      chatbotId: team.chatbotId,
      apiKey: team.integrationKey,
      EventSource: recorder.Recording,
      onChange: (agents) => (latest = agents),
      onOrphaned: (event) => orphaned.push(event),
    });
    try {
      await until('the snapshot', () => latest.size === 2);
      await setMyStatus(ada.api, team.chatbotId, 'offline');
      // 10 s gone, then the next sweep (every 5 s).
      await until('the announcement', () => orphaned.length > 0, 30_000);
      assert.deepEqual(orphaned, [{ chatbotId: team.chatbotId, agentId: ada.id, conversations: ['visitor-42'], moved: [] }]);
      const past = stream.lastEventId!;
      assert.ok(recorder.events.includes('assignment.orphaned'));
      stream.stop();
      stream.start(); // resumes after the announcement
      await setMyStatus(grace.api, team.chatbotId, 'busy');
      await until('Grace busy after the resume', () => latest.get(grace.id)?.state === 'busy');
      assert.ok(stream.lastEventId! > past);
      assert.equal(orphaned.length, 1, 'not told twice');
      assert.equal(recorder.events.filter((type) => type === 'assignment.orphaned').length, 1, 'not sent again after the resume');
    } finally {
      stream.stop();
    }
  });

  it('watchPresence tells onAssignment of each chat assigned, moved and released, with its title and preview, once, and a resume goes past them', async () => {
    const team = await provisionTeam(service, ['Ada', 'Grace']);
    const [ada, grace] = team.agents as [(typeof team.agents)[number], (typeof team.agents)[number]];
    await setMyStatus(ada.api, team.chatbotId, 'available');
    await setMyStatus(grace.api, team.chatbotId, 'available');
    const recorder = recordingEventSource();
    const told: AssignmentEvent[] = [];
    let latest: ReadonlyMap<string, AgentEntry> = new Map();
    const stream = watchPresence({
      baseUrl: service.url,
      chatbotId: team.chatbotId,
      apiKey: team.integrationKey,
      EventSource: recorder.Recording,
      onChange: (agents) => (latest = agents),
      onAssignment: (event) => told.push(event),
    });
    const path = { chatbotId: team.chatbotId };
    try {
      await until('the snapshot', () => latest.size === 2);
      ok(
        await service.operator.POST('/v1/inbox/{chatbotId}/assignments', {
          params: { path },
          body: { conversationId: 'visitor-7', preferredAgentId: ada.id, title: 'Delivery', preview: 'Where is my parcel?' },
        }),
      );
      ok(
        await service.operator.POST('/v1/inbox/{chatbotId}/assignments/{conversationId}/transfer', {
          params: { path: { ...path, conversationId: 'visitor-7' } },
          body: { agentId: grace.id },
        }),
      );
      ok(await service.operator.DELETE('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { ...path, conversationId: 'visitor-7' } } }));
      await until('the three events', () => told.length === 3);
      assert.deepEqual(
        told.map((event) => [event.type, event.agentId, event.from ?? null, event.title ?? null]),
        [
          ['assignment.created', ada.id, null, 'Delivery'],
          ['assignment.transferred', grace.id, ada.id, 'Delivery'],
          ['assignment.released', grace.id, null, null],
        ],
      );
      assert.equal(told[0]!.preview, 'Where is my parcel?');
      const past = stream.lastEventId!;
      stream.stop();
      stream.start();
      await setMyStatus(ada.api, team.chatbotId, 'busy');
      await until('Ada busy after the resume', () => latest.get(ada.id)?.state === 'busy');
      assert.ok(stream.lastEventId! > past);
      assert.equal(told.length, 3, 'not told twice');
    } finally {
      stream.stop();
    }
  });

  it('watchPresence tells onQueue of a chat put in the waiting queue and cancelled, and onAssignment when the queue gives one to an agent', async () => {
    const team = await provisionTeam(service, ['Ada']);
    const [ada] = team.agents as [(typeof team.agents)[number]];
    const queued: QueueEvent[] = [];
    const told: AssignmentEvent[] = [];
    let latest: ReadonlyMap<string, AgentEntry> = new Map();
    const stream = watchPresence({
      baseUrl: service.url,
      chatbotId: team.chatbotId,
      apiKey: team.integrationKey,
      EventSource: recordingEventSource().Recording,
      onChange: (agents) => (latest = agents),
      onQueue: (event) => queued.push(event),
      onAssignment: (event) => told.push(event),
    });
    const path = { chatbotId: team.chatbotId };
    try {
      await until('the snapshot', () => latest.size === 1);
      await setMyStatus(ada.api, team.chatbotId, 'offline');
      for (const conversationId of ['visitor-q1', 'visitor-q2']) {
        const waiting = await service.operator.POST('/v1/inbox/{chatbotId}/assignments', { params: { path }, body: { conversationId, wait: true, priority: 3, title: 'Queue' } });
        assert.equal(waiting.response.status, 202);
        assert.equal(waiting.data && 'state' in waiting.data ? waiting.data.state : null, 'waiting');
      }
      ok(await service.operator.DELETE('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { ...path, conversationId: 'visitor-q2' } } }));
      await setMyStatus(ada.api, team.chatbotId, 'available');
      await until('the queue events and the assignment', () => queued.length === 3 && told.length === 1);
      assert.deepEqual(
        queued.map((event) => [event.type, event.conversationId, event.priority, event.title]),
        [
          ['assignment.waiting', 'visitor-q1', 3, 'Queue'],
          ['assignment.waiting', 'visitor-q2', 3, 'Queue'],
          ['assignment.cancelled', 'visitor-q2', 3, 'Queue'],
        ],
      );
      assert.deepEqual([told[0]!.type, told[0]!.conversationId, told[0]!.agentId, told[0]!.arrivedAt], ['assignment.created', 'visitor-q1', ada.id, queued[0]!.arrivedAt]);
      const chat = ok(await service.operator.GET('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { ...path, conversationId: 'visitor-q1' } } }));
      assert.deepEqual([chat.state, chat.agentId], ['assigned', ada.id]);
    } finally {
      stream.stop();
    }
  });

  it('stops for good, saying why, when the key itself is refused', async () => {
    const team = await provisionTeam(service, ['Ada']);
    const made = ok(
      await service.operator.POST('/v1/chatbots/{chatbotId}/keys', {
        params: { path: { chatbotId: team.chatbotId } },
        body: { kind: 'chatbot', name: 'soon revoked', permissions: ['chatbots.inbox.agents.list'] },
      }),
    );
    ok(await service.operator.DELETE('/v1/chatbots/{chatbotId}/keys/{keyId}', { params: { path: { chatbotId: team.chatbotId, keyId: made.id } } }));
    const errors: string[] = [];
    const states: ConnectionState[] = [];
    const stream = watchPresence({
      baseUrl: service.url,
      chatbotId: team.chatbotId,
      apiKey: made.key,
      onError: (error) => errors.push(error.message),
      onState: (state) => states.push(state),
    });
    await until('the stop', () => stream.state === 'stopped');
    assert.deepEqual(errors, ['the key was refused: revoked_key']);
    assert.deepEqual(states, ['connecting', 'stopped']);
  });
});
