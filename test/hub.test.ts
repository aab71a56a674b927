import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from './helpers/eventually.js';
import { eventLog, type LoggedEvent } from '../src/presence/event-store.js';
import { batchFrames, eventFrames, PresenceHub, type Subscriber } from '../src/presence/hub.js';
import { createTestContext } from './helpers/context.js';

/**
 * The stream hub on a real event log: events the unit of work that logged them hands over are
 * sent from memory, and whenever that could skip or repeat anything (an event of another writer
 * in between, a read of the log under way, a subscriber already past some) the log decides.
 */

const silent = { warn: () => undefined, error: () => undefined } as never;

/** A subscriber that asked for batches: the frames it was sent, as (id, the agents' ids in it). */
function batchSubscriber(after: number): Subscriber & { frames: Array<{ id: number; agents: string[] }> } {
  const frames: Array<{ id: number; agents: string[] }> = [];
  return {
    after,
    batched: true,
    frames,
    send(sent) {
      for (const match of String(sent).matchAll(/^id: (\d+)\nevent: batch\ndata: (.*)\n\n/gm)) {
        frames.push({ id: Number(match[1]), agents: (JSON.parse(match[2]!) as { agents: Array<{ agentId: string }> }).agents.map((agent) => agent.agentId) });
      }
    },
    end() {},
  };
}

/** A subscriber that keeps the ids of the presence frames it was sent, in order. */
function subscriber(after: number): Subscriber & { ids: number[] } {
  const ids: number[] = [];
  return {
    after,
    ids,
    send(frames) {
      for (const match of String(frames).matchAll(/^id: (\d+)\nevent: presence\n/gm)) ids.push(Number(match[1]));
    },
    end() {},
  };
}

interface Hub {
  chatbotId: string;
  hub: PresenceHub;
  /** Logs events with these versions straight into the log (as the unit of work, or another writer, would), of a type where given. */
  log(versions: number[], types?: Record<number, string>): Promise<LoggedEvent[]>;
  /** How many reads of the log the hub has made. */
  reads(): number;
}

/**
 * A hub on a fresh database's event log, with `subscribers` subscribed and their first read of
 * the log done; closes everything after `test`.
 */
async function withHub(subscribers: Subscriber[], test: (hub: Hub) => Promise<void>, logFirst: number[] = []): Promise<void> {
  const t = await createTestContext();
  try {
    const chatbotId = await t.chatbot();
    const store = eventLog(t.database.db, { kept: 1000 });
    let reads = 0;
    const counted = {
      ...store,
      eventsAfter: (...args: Parameters<typeof store.eventsAfter>) => {
        reads++;
        return store.eventsAfter(...args);
      },
    };
    const hub = new PresenceHub(counted, silent);
    const log = async (versions: number[], types: Record<number, string> = {}) => {
      const events = versions.map((version) => ({ version, data: JSON.stringify({ agentId: `agent-${version}` }), type: types[version] ?? null }));
      await t.database.db
        .insertInto('presence_events')
        .values(events.map((event) => ({ chatbot_id: chatbotId, version: event.version, data: event.data, type: event.type, created_at: Date.now() })))
        .execute();
      return events;
    };
    if (logFirst.length > 0) await log(logFirst);
    for (const subscriber of subscribers) hub.subscribe(chatbotId, subscriber);
    // The first read of the log (on subscribing) is over: what was logged before is delivered.
    await hub.idle(chatbotId);
    await test({ chatbotId, hub, log, reads: () => reads });
  } finally {
    await t.close();
  }
}

describe('stream frames (pure)', () => {
  const event = (version: number, type?: string) => ({ version, data: `{"v":${version}}`, ...(type ? { type } : {}) });
  const frame = (id: number, name: string, data: string) => `id: ${id}\nevent: ${name}\ndata: ${data}\n\n`;
  const cases: Array<[string, ReturnType<typeof event>[], string, string]> = [
    [
      'changes only: one batch with the last id',
      [event(1), event(2)],
      frame(2, 'batch', '{"agents":[{"v":1},{"v":2}]}'),
      frame(1, 'presence', '{"v":1}') + frame(2, 'presence', '{"v":2}'),
    ],
    [
      'another event between changes: the batch splits around it, each frame with its own last id',
      [event(1), event(2), event(3, 'assignment.orphaned'), event(4)],
      frame(2, 'batch', '{"agents":[{"v":1},{"v":2}]}') + frame(3, 'assignment.orphaned', '{"v":3}') + frame(4, 'batch', '{"agents":[{"v":4}]}'),
      frame(1, 'presence', '{"v":1}') + frame(2, 'presence', '{"v":2}') + frame(3, 'assignment.orphaned', '{"v":3}') + frame(4, 'presence', '{"v":4}'),
    ],
    ['another event alone: no empty batch', [event(7, 'assignment.orphaned')], frame(7, 'assignment.orphaned', '{"v":7}'), frame(7, 'assignment.orphaned', '{"v":7}')],
    [
      'two other events in a row, then changes',
      [event(1, 'assignment.orphaned'), event(2, 'assignment.orphaned'), event(3)],
      frame(1, 'assignment.orphaned', '{"v":1}') + frame(2, 'assignment.orphaned', '{"v":2}') + frame(3, 'batch', '{"agents":[{"v":3}]}'),
      frame(1, 'assignment.orphaned', '{"v":1}') + frame(2, 'assignment.orphaned', '{"v":2}') + frame(3, 'presence', '{"v":3}'),
    ],
  ];
  for (const [what, events, batched, plain] of cases) {
    it(what, () => {
      assert.equal(batchFrames(events), batched);
      assert.equal(eventFrames(events).join(''), plain);
    });
  }
});

describe('stream hub', () => {
  it('sends the events a unit of work logged from memory, without reading them back', async () => {
    const [a, b] = [subscriber(0), subscriber(0)];
    await withHub([a, b], async ({ chatbotId, hub, log, reads }) => {
      const before = reads();
      hub.delivered(chatbotId, await log([1, 2, 3]));
      assert.deepEqual(a.ids, [1, 2, 3]);
      assert.deepEqual(b.ids, [1, 2, 3]);
      assert.equal(reads(), before, 'no read of the log');
      hub.delivered(chatbotId, await log([4]));
      assert.deepEqual(a.ids, [1, 2, 3, 4]);
      assert.equal(a.after, 4);
    });
  });

  it('reads the log when another writer logged an event before them: every event once, in order', async () => {
    const a = subscriber(0);
    await withHub([a], async ({ chatbotId, hub, log, reads }) => {
      await log([1]); // the admin CLI, or another instance: no hand-over here
      const before = reads();
      hub.delivered(chatbotId, await log([2, 3]));
      await eventually(() => assert.deepEqual(a.ids, [1, 2, 3]));
      assert.ok(reads() > before, 'read from the log');
      // A marker after them: once it is there, nothing of the above can still come twice.
      hub.delivered(chatbotId, await log([4]));
      await eventually(() => assert.deepEqual(a.ids, [1, 2, 3, 4]));
    });
  });

  it('sends a subscriber already past some of them (a newer snapshot) only the rest', async () => {
    const [behind, ahead] = [subscriber(1), subscriber(2)];
    await withHub(
      [behind, ahead],
      async ({ chatbotId, hub, log }) => {
        hub.delivered(chatbotId, await log([2, 3]));
        await eventually(() => assert.deepEqual(behind.ids, [2, 3]));
        await eventually(() => assert.deepEqual(ahead.ids, [3]));
      },
      [1],
    );
  });

  it('leaves events handed over during a read of the log to that read: none twice, none lost', async () => {
    const a = subscriber(0);
    await withHub([a], async ({ chatbotId, hub, log }) => {
      const events = await log([1, 2]);
      hub.poke(chatbotId); // a read starts
      hub.delivered(chatbotId, events);
      hub.delivered(chatbotId, await log([3]));
      await eventually(() => assert.deepEqual(a.ids.slice(0, 3), [1, 2, 3]));
      // A marker after them: once it is there, a duplicate of 1 to 3 would have come before it.
      hub.delivered(chatbotId, await log([4]));
      await eventually(() => assert.deepEqual(a.ids, [1, 2, 3, 4]));
    });
  });

  it('does not send events out of order when they are handed over with a gap between them', async () => {
    const a = subscriber(0);
    await withHub([a], async ({ chatbotId, hub, log }) => {
      const events = await log([1, 2, 3]);
      hub.delivered(chatbotId, [events[0]!, events[2]!]);
      await eventually(() => assert.deepEqual(a.ids, [1, 2, 3]));
    });
  });

  it('sends a subscriber that asked for batches one frame per delivery, holding every change in order, with the last id; plain ones one frame per change', async () => {
    const [batched, ahead, plain] = [batchSubscriber(0), batchSubscriber(1), subscriber(0)];
    await withHub([batched, ahead, plain], async ({ chatbotId, hub, log }) => {
      hub.delivered(chatbotId, await log([1, 2, 3]));
      assert.deepEqual(batched.frames, [{ id: 3, agents: ['agent-1', 'agent-2', 'agent-3'] }]);
      assert.deepEqual(ahead.frames, [{ id: 3, agents: ['agent-2', 'agent-3'] }], 'only what it lacks');
      assert.deepEqual(plain.ids, [1, 2, 3]);
      hub.delivered(chatbotId, await log([4]));
      assert.deepEqual(batched.frames.at(-1), { id: 4, agents: ['agent-4'] });
    });
  });

  it('an event of another type read from the log keeps its name, for plain and batched subscribers alike', async () => {
    const names: Record<string, string[]> = { plain: [], batched: [] };
    const named = (kind: 'plain' | 'batched'): Subscriber => ({
      after: 0,
      batched: kind === 'batched',
      send: (sent) => {
        for (const match of String(sent).matchAll(/^id: (\d+)\nevent: (.+)\n/gm)) names[kind]!.push(`${match[2]}@${match[1]}`);
      },
      end() {},
    });
    await withHub([named('plain'), named('batched')], async ({ chatbotId, hub, log }) => {
      await log([1, 2, 3], { 2: 'assignment.orphaned' }); // another writer: read from the log
      hub.poke(chatbotId);
      await eventually(() => assert.deepEqual(names.plain, ['presence@1', 'assignment.orphaned@2', 'presence@3']));
      assert.deepEqual(names.batched, ['batch@1', 'assignment.orphaned@2', 'batch@3']);
    });
  });

  it('reading the log for a batch subscriber: one frame per read, none twice, none lost', async () => {
    const a = batchSubscriber(0);
    await withHub([a], async ({ chatbotId, hub, log }) => {
      await log([1, 2]); // another writer
      hub.delivered(chatbotId, await log([3]));
      await eventually(() => assert.equal(a.frames.at(-1)?.id, 3));
      hub.delivered(chatbotId, await log([4]));
      await eventually(() => assert.equal(a.frames.at(-1)?.id, 4));
      assert.deepEqual(
        a.frames.flatMap((frame) => frame.agents),
        ['agent-1', 'agent-2', 'agent-3', 'agent-4'],
        'each change once, in order (the marker, 4, came after them all)',
      );
    });
  });
});
