import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { listedEntry } from '../src/presence/entry.js';
import { agentLiveness, deviceAliveUntil, type DeviceSignals, type LivenessSettings } from '../src/presence/liveness.js';
import { memberRow } from './helpers/member-row.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0);
const S = 1000;
/** The defaults users run: a TTL of 150 s and a grace of 20 s. */
const DEFAULTS: LivenessSettings = { ttlMillis: 150 * S, graceMillis: 20 * S };
const device = (signals: Partial<DeviceSignals>): DeviceSignals => ({ keyId: 'key_a', postedAt: null, closedAt: null, streams: 0, ...signals });

describe('liveness per device: the table', () => {
  const rows: Array<[string, Partial<DeviceSignals>, LivenessSettings, number | null]> = [
    ['nothing at all: never alive', {}, DEFAULTS, null],
    ['posted, never streamed: the post + the TTL', { postedAt: NOW - 10 * S }, DEFAULTS, NOW + 140 * S],
    ['posted with a TTL of 0: for ever', { postedAt: NOW - 10 * S }, { ...DEFAULTS, ttlMillis: 0 }, Infinity],
    ['holds a stream: for ever, while it holds it', { streams: 1, postedAt: NOW - 500 * S, closedAt: NOW - 400 * S }, DEFAULTS, Infinity],
    ['holds streams on two instances: the same', { streams: 2 }, DEFAULTS, Infinity],
    ['its stream closed, nothing posted: the close + the grace', { closedAt: NOW - 5 * S }, DEFAULTS, NOW + 15 * S],
    ['posted while streaming, then closed: the close + the grace, never the post + the TTL', { postedAt: NOW - 6 * S, closedAt: NOW - 5 * S }, DEFAULTS, NOW + 15 * S],
    ['posted in the same millisecond as the close: still the grace', { postedAt: NOW - 5 * S, closedAt: NOW - 5 * S }, DEFAULTS, NOW + 15 * S],
    ['posted after the close: that post + the TTL', { postedAt: NOW - 4 * S, closedAt: NOW - 5 * S }, DEFAULTS, NOW + 146 * S],
    ['closed with a TTL of 0 and no post since: the grace still ends it', { postedAt: NOW - 60 * S, closedAt: NOW - 5 * S }, { ...DEFAULTS, ttlMillis: 0 }, NOW + 15 * S],
    ['posted after the close with a TTL of 0: for ever', { postedAt: NOW - 4 * S, closedAt: NOW - 5 * S }, { ...DEFAULTS, ttlMillis: 0 }, Infinity],
  ];
  for (const [name, signals, settings, until] of rows) {
    it(name, () => assert.equal(deviceAliveUntil(device(signals), settings), until));
  }

  it('an agent is alive while any device is: the longest-lived device decides, each live one counts', () => {
    const devices = [device({ keyId: 'browser', closedAt: NOW - 5 * S }), device({ keyId: 'phone', postedAt: NOW - 100 * S }), device({ keyId: 'old', postedAt: NOW - 900 * S })];
    assert.deepEqual(agentLiveness(devices, NOW, DEFAULTS), { aliveUntil: NOW + 50 * S, devices: 2, connected: false, nextDeviceChangeAt: NOW + 15 * S });
    assert.deepEqual(agentLiveness(devices, NOW + 20 * S, DEFAULTS), { aliveUntil: NOW + 50 * S, devices: 1, connected: false, nextDeviceChangeAt: NOW + 50 * S });
    assert.deepEqual(agentLiveness(devices, NOW + 50 * S, DEFAULTS), { aliveUntil: NOW + 50 * S, devices: 0, connected: false, nextDeviceChangeAt: null });
  });

  it('a device holding a stream makes the agent connected and alive for ever; no device at all is never alive', () => {
    assert.deepEqual(agentLiveness([device({ streams: 1 })], NOW, DEFAULTS), { aliveUntil: Infinity, devices: 1, connected: true, nextDeviceChangeAt: null });
    assert.deepEqual(agentLiveness([], NOW, DEFAULTS), { aliveUntil: null, devices: 0, connected: false, nextDeviceChangeAt: null });
  });
});

const moment = fc.integer({ min: NOW - 1000 * S, max: NOW + 1000 * S });
const signals = fc.record({
  keyId: fc.constantFrom('a', 'b', 'c', 'd'),
  postedAt: fc.option(moment),
  closedAt: fc.option(moment),
  streams: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }),
});
const settings = fc.record({
  ttlMillis: fc.oneof(fc.constant(150 * S), fc.constant(0), fc.integer({ min: 1, max: 600 * S })),
  graceMillis: fc.oneof(fc.constant(20 * S), fc.integer({ min: 0, max: 120 * S })),
});

/** A member row as the store reads it: chosen online, nothing else but its devices. */
const member = (devices: DeviceSignals[]) => memberRow({ online: 1, updated_at: NOW - 2000 * S, online_changed_at: NOW - 2000 * S, devices });

describe('liveness per device: properties', () => {
  it('an agent is listed offline (no sign of life) exactly when every device is dead, and counts the live ones', () => {
    fc.assert(
      fc.property(fc.uniqueArray(signals, { selector: (d) => d.keyId, maxLength: 4 }), moment, settings, (devices, at, live) => {
        const aliveEach = devices.filter((d) => {
          const until = deviceAliveUntil(d, live);
          return until !== null && at < until;
        }).length;
        const { entry } = listedEntry(member(devices), at, live);
        assert.equal(entry.devices, aliveEach);
        assert.equal(entry.online, aliveEach > 0);
        if (aliveEach === 0) assert.equal(entry.reason, 'no_sign_of_life');
        assert.equal(
          entry.connected,
          devices.some((d) => d.streams > 0),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("closing an agent's only browser lists it offline at close + grace, whatever that browser posted before", () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 10_000 * S })), fc.integer({ min: 1, max: 10_000 * S }), settings, (postedBefore, streamedFor, live) => {
        const closedAt = NOW;
        const browser = device({ postedAt: postedBefore === null ? null : closedAt - postedBefore, closedAt });
        // Open: alive whatever it posted (its stream is open until closedAt).
        const open = listedEntry(member([{ ...browser, closedAt: null, streams: 1 }]), closedAt - streamedFor, live).entry;
        assert.equal(open.online, true);
        const graceEnd = closedAt + live.graceMillis;
        if (live.graceMillis > 0) assert.equal(listedEntry(member([browser]), graceEnd - 1, live).entry.online, true, 'listed during the grace');
        const after = listedEntry(member([browser]), graceEnd, live);
        assert.deepEqual([after.entry.online, after.entry.reason], [false, 'no_sign_of_life'], 'offline when the grace ends');
        // The deadline to watch is that moment: the announcement comes at it, not at the TTL.
        if (live.graceMillis > 0) assert.equal(listedEntry(member([browser]), closedAt, live).nextChangeAt, graceEnd);
      }),
      { numRuns: 2000 },
    );
  });
});
