import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../src/config.js';
import { listedEntry } from '../src/presence/entry.js';
import type { DeviceSignals } from '../src/presence/liveness.js';
import type { MemberPresenceRow } from '../src/presence/member-store.js';
import { createTestContext, meOnlinePath, onlinePath, type TestContext } from './helpers/context.js';
import { freshDatabase } from './helpers/database.js';
import { memberRow } from './helpers/member-row.js';
import { SseClient } from './helpers/sse.js';
import { VirtualClock } from './helpers/virtual-clock.js';

/**
 * The presence promise at the level of the service, at default settings: over any sequence of
 * posts (the online flag, a chosen status, activity) from an agent's devices, streams opened and
 * closed by those devices, the clock moving and the service restarting, what was announced on
 * the stream is, at every moment the test looks, what the rules say then.
 *
 * "What the rules say" comes from a model of the inputs the test itself keeps (each device's
 * posts and streams, each agent's flag, chosen status and activity), judged by the pure rules
 * (listedEntry: the availability rule over liveness per device); what was announced is what an
 * observer's stream folded from its snapshot and events, resumed across restarts. The clock is
 * virtual, and drives the service's deadline schedule as the wall clock would (see
 * helpers/virtual-clock.ts).
 */

const DEFAULTS = loadConfig({});
const LIVENESS = { ttlMillis: DEFAULTS.presenceTtlSeconds * 1000, graceMillis: DEFAULTS.presenceGraceSeconds * 1000 };
const AGENTS = ['Ada', 'Bob'] as const;
const DEVICES = ['browser', 'phone'] as const;

type Op =
  | { kind: 'online'; agent: number; device: number; online: boolean }
  | { kind: 'status'; agent: number; device: number; status: 'available' | 'away' | 'busy' | 'dnd'; text: string | null; untilSeconds: number | null }
  | { kind: 'activity'; agent: number; device: number }
  | { kind: 'open'; agent: number; device: number }
  | { kind: 'close'; agent: number; device: number }
  | { kind: 'advance'; seconds: number }
  | { kind: 'restart' };

const agent = fc.integer({ min: 0, max: AGENTS.length - 1 });
const device = fc.integer({ min: 0, max: DEVICES.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('online' as const), agent, device, online: fc.boolean() }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      agent,
      device,
      status: fc.constantFrom('available' as const, 'away' as const, 'busy' as const, 'dnd' as const),
      text: fc.option(fc.constantFrom('In a meeting', 'Lunch')),
      untilSeconds: fc.option(fc.integer({ min: 1, max: 900 })),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('activity' as const), agent, device }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('open' as const), agent, device }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('close' as const), agent, device }), weight: 3 },
  // Steps around the defaults: the grace (20 s), the TTL (150 s), the idle time (600 s).
  {
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      seconds: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 100, max: 200 }), fc.integer({ min: 500, max: 700 })),
    }),
    weight: 5,
  },
  { arbitrary: fc.constant({ kind: 'restart' as const }), weight: 1 },
);

/** What the test knows of one agent: the inputs its requests set. */
interface ModelAgent {
  /** The presence row's online flag (null: no row yet). */
  online: number | null;
  status: { status: string; text: string | null; until: number | null } | null;
  lastActiveAt: number | null;
  devices: Map<string, DeviceSignals>;
}

interface Shown {
  online: boolean;
  connected: boolean;
  state: string;
  reason: string;
  statusText: string | null;
  statusUntil: string | null;
  devices: number;
}
const shown = (entry: Shown): Shown => ({
  online: entry.online,
  connected: entry.connected,
  state: entry.state,
  reason: entry.reason,
  statusText: entry.statusText,
  statusUntil: entry.statusUntil,
  devices: entry.devices,
});

/** The member row the rules would read for the modelled agent. */
function modelRow(name: string, model: ModelAgent): MemberPresenceRow {
  return memberRow({
    agent_id: name,
    name,
    online: model.online,
    status: model.status?.status ?? null,
    status_text: model.status?.text ?? null,
    status_until: model.status?.until ?? null,
    last_active_at: model.lastActiveAt,
    devices: [...model.devices.values()],
  });
}

describe('presence property: what the stream announced is what the rules say, at default settings', () => {
  it('holds over posts, streams opened and closed, the clock moving and restarts', async () => {
    const clock = new VirtualClock();
    const database = await freshDatabase();
    let ctx: TestContext = await createTestContext({ clock, database, timers: clock.timers });
    let base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const open: SseClient[] = [];
    try {
      const details = await fc.check(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
          const chatbotId = await ctx.chatbot('Property');
          const observerKey = (await ctx.chatbotKey(chatbotId, ['chatbots.inbox.agents.list'])).key;
          const agents: Array<{ id: string; keys: Array<{ id: string; key: string }>; model: ModelAgent; tabs: Array<SseClient | null> }> = [];
          for (const name of AGENTS) {
            const id = await ctx.agent(chatbotId, { name });
            const keys = [];
            for (let d = 0; d < DEVICES.length; d++) keys.push(await ctx.agentKey(id));
            agents.push({ id, keys, model: { online: null, status: null, lastActiveAt: null, devices: new Map() }, tabs: DEVICES.map(() => null) });
          }
          const streamUrl = () => `${base}/v1/inbox/${chatbotId}/agents/online/stream`;
          const settle = () => ctx.app.livePresence.settled();

          // The observer folds its stream; after a restart it resumes where it was.
          const folded = new Map<string, Shown>();
          let observer = await SseClient.open(streamUrl(), { 'x-chatcaptain-key': observerKey });
          open.push(observer);
          let lastId = -1;
          const take = async (upTo: number) => {
            for (;;) {
              const event = await observer.next(() => true, 10_000);
              lastId = Number(event.id);
              if (event.event === 'snapshot') {
                folded.clear();
                for (const entry of JSON.parse(event.data).agents as Array<Shown & { agentId: string }>) folded.set(entry.agentId, shown(entry));
              } else {
                const entry = JSON.parse(event.data) as Shown & { agentId: string };
                folded.set(entry.agentId, shown(entry));
              }
              if (lastId >= upTo) return;
            }
          };
          await take(0);

          const check = async (step: string) => {
            await settle();
            const version = await ctx.services.events.currentVersion(chatbotId);
            if (lastId < version) await take(version);
            const listed = (await ctx.call({ method: 'GET', url: onlinePath(chatbotId), key: observerKey })).json().agents as Array<Shown & { agentId: string; name: string }>;
            for (const [i, name] of AGENTS.entries()) {
              const expected = shown(listedEntry(modelRow(name, agents[i]!.model), clock.now(), LIVENESS).entry);
              const at = `${step} at ${new Date(clock.now()).toISOString()}`;
              assert.deepEqual(folded.get(agents[i]!.id), expected, `${at}: announced for ${name} is what the rules say`);
              assert.deepEqual(shown(listed.find((entry) => entry.agentId === agents[i]!.id)!), expected, `${at}: listed for ${name}`);
            }
          };
          await check('start');

          for (const step of ops) {
            if (step.kind === 'advance') {
              // Stop just before each moment the rules say an entry changes (nothing may have
              // changed yet) and just after it (the deadline fires within its 10 ms bucket).
              const target = clock.now() + step.seconds * 1000;
              for (let stops = 0; stops < 100; stops++) {
                const next = Math.min(
                  ...agents.map((a, i) => listedEntry(modelRow(AGENTS[i]!, a.model), clock.now(), LIVENESS).nextChangeAt ?? Infinity).filter((at) => at > clock.now() + 1),
                );
                if (!(next <= target)) break;
                await clock.advanceTo(next - 1, settle);
                await check(`just before a change`);
                await clock.advanceTo(Math.min(target, next + 10), settle);
                await check(`a change`);
              }
              await clock.advanceTo(target, settle);
              await check(`advance ${step.seconds} s`);
              continue;
            }
            if (step.kind === 'restart') {
              await ctx.close({ keepFiles: true });
              for (const a of agents) {
                a.tabs = a.tabs.map(() => null);
                for (const signals of a.model.devices.values()) if (signals.streams > 0) Object.assign(signals, { streams: 0, closedAt: clock.now() });
              }
              ctx = await createTestContext({ clock, database, timers: clock.timers });
              base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
              observer = await SseClient.open(streamUrl(), { 'x-chatcaptain-key': observerKey, 'last-event-id': String(lastId) });
              open.push(observer);
              await check('restart');
              continue;
            }
            const who = agents[step.agent]!;
            const key = who.keys[step.device]!;
            const now = clock.now();
            const signals = () => {
              let found = who.model.devices.get(key.id);
              if (!found) who.model.devices.set(key.id, (found = { keyId: key.id, postedAt: null, closedAt: null, streams: 0 }));
              return found;
            };
            const posted = () => {
              signals().postedAt = now;
              who.model.online ??= 1;
            };
            switch (step.kind) {
              case 'online': {
                const response = await ctx.call({ method: 'POST', url: meOnlinePath(chatbotId), key: key.key, payload: { online: step.online, clientTimestamp: String(now) } });
                assert.equal(response.statusCode, 200, response.body);
                posted();
                who.model.online = step.online ? 1 : 0;
                break;
              }
              case 'status': {
                const until = step.untilSeconds === null ? null : now + step.untilSeconds * 1000;
                const payload = {
                  status: step.status,
                  clientTimestamp: String(now),
                  ...(step.text === null ? {} : { text: step.text }),
                  ...(until === null ? {} : { until: new Date(until).toISOString() }),
                };
                const response = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/status`, key: key.key, payload });
                assert.equal(response.statusCode, 200, response.body);
                posted();
                who.model.status = { status: step.status, text: step.text, until };
                break;
              }
              case 'activity': {
                const response = await ctx.call({ method: 'POST', url: `/v1/inbox/${chatbotId}/agents/me/activity`, key: key.key });
                assert.equal(response.statusCode, 200, response.body);
                posted();
                who.model.lastActiveAt = now;
                break;
              }
              case 'open': {
                if (who.tabs[step.device]) continue;
                const tab = await SseClient.open(streamUrl(), { 'x-chatcaptain-key': key.key });
                open.push(tab);
                await tab.next();
                who.tabs[step.device] = tab;
                signals().streams = 1;
                break;
              }
              case 'close': {
                const tab = who.tabs[step.device];
                if (!tab) continue;
                tab.close();
                who.tabs[step.device] = null;
                // The service hears of the close when the connection ends: wait for that.
                while (ctx.services.streams.openForKey(key.id) > 0) await new Promise((resolve) => setImmediate(resolve));
                Object.assign(signals(), { streams: 0, closedAt: now });
                break;
              }
            }
            await check(step.kind);
          }
          for (const a of agents) for (const tab of a.tabs) tab?.close();
          observer.close();
        }),
        { numRuns: Number(process.env.PROPERTY_RUNS ?? 25), ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED), path: process.env.PROPERTY_PATH } : {}) },
      );
      if (details.failed) assert.fail(`${fc.defaultReportMessage(details)}\n${String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance)}`);
    } finally {
      for (const client of open) client.close();
      await ctx.close();
    }
  });
});
