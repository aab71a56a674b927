import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestContext, meNotificationsPath, snapshotState, type TestContext } from './helpers/context.js';

/** A subscription as a browser gives it, on a public-looking push service host. */
function subscription(endpoint = `https://push.example.net/wpush/v2/${randomBytes(12).toString('base64url')}`) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
}

describe('devices and push preferences', () => {
  let ctx: TestContext;
  let chatbotId: string;
  let agent: { id: string; key: string };
  let other: { id: string; key: string };
  const devicePath = (deviceId: string) => `${meNotificationsPath(chatbotId)}/devices/${deviceId}`;
  const post = (key: string, payload: object) => ctx.call({ method: 'POST', url: meNotificationsPath(chatbotId), key, payload });
  const get = async (key: string) => (await ctx.call({ method: 'GET', url: meNotificationsPath(chatbotId), key })).json();

  before(async () => {
    ctx = await createTestContext();
    chatbotId = await ctx.chatbot();
    const a = await ctx.agent(chatbotId);
    const b = await ctx.agent(chatbotId);
    agent = { id: a, key: (await ctx.agentKey(a)).key };
    other = { id: b, key: (await ctx.agentKey(b)).key };
  });
  after(() => ctx.close());

  it('defaults: no devices, nothing muted, no push while connected', async () => {
    const fresh = await ctx.agent(chatbotId);
    const key = (await ctx.agentKey(fresh)).key;
    assert.deepEqual(await get(key), { pushToken: null, updatedAt: null, devices: [], mutedTypes: [], pushWhenConnected: false });
  });

  it('adds, refreshes and lists devices of both kinds; pushToken is the newest FCM token', async () => {
    const sub = subscription();
    const first = await post(agent.key, { pushSubscription: sub });
    assert.equal(first.statusCode, 200);
    const webpushId = first.json().deviceId as string;
    assert.match(webpushId, /^dev_/);
    assert.deepEqual(
      first.json().devices.map((d: { id: string; kind: string }) => [d.id, d.kind]),
      [[webpushId, 'webpush']],
    );

    ctx.clock.advance(1);
    const again = await post(agent.key, { pushSubscription: { ...sub, keys: subscription().keys } });
    assert.equal(again.json().deviceId, webpushId, 'the same endpoint refreshes its device (new keys), not a second one');
    assert.equal(again.json().devices.length, 1);

    ctx.clock.advance(1);
    const fcmOld = (await post(agent.key, { pushToken: 'fcm-token-old' })).json().deviceId;
    ctx.clock.advance(1);
    const fcmNew = (await post(agent.key, { pushToken: 'fcm-token-new' })).json().deviceId;
    let settings = await get(agent.key);
    assert.equal(settings.pushToken, 'fcm-token-new');
    assert.deepEqual(
      settings.devices.map((d: { id: string }) => d.id),
      [webpushId, fcmOld, fcmNew],
    );
    for (const device of settings.devices) {
      assert.deepEqual(Object.keys(device).sort(), ['createdAt', 'id', 'kind', 'lastError', 'lastSuccessAt']);
      assert.equal(device.lastSuccessAt, null);
    }
    ctx.clock.advance(1);
    await post(agent.key, { pushToken: 'fcm-token-old' });
    settings = await get(agent.key);
    assert.equal(settings.pushToken, 'fcm-token-old', 'registering a token again makes it the most recent');
  });

  it('a token registered by another agent moves to that agent', async () => {
    const moved = (await post(other.key, { pushToken: 'fcm-token-old' })).json();
    assert.equal(moved.pushToken, 'fcm-token-old');
    const mine = await get(agent.key);
    assert.equal(mine.pushToken, 'fcm-token-new');
    assert.ok(!mine.devices.some((d: { id: string }) => d.id === moved.deviceId), 'the device left its former agent');
  });

  it('sets preferences without touching devices; {} changes nothing', async () => {
    const before = await get(agent.key);
    ctx.clock.advance(1);
    const changed = (await post(agent.key, { mutedTypes: ['conversation.assigned', 'sla.breached'], pushWhenConnected: true })).json();
    assert.deepEqual(changed.mutedTypes, ['conversation.assigned', 'sla.breached']);
    assert.equal(changed.pushWhenConnected, true);
    assert.deepEqual(changed.devices, before.devices);
    assert.notEqual(changed.updatedAt, before.updatedAt);
    assert.deepEqual((await post(agent.key, {})).json(), changed);
    assert.deepEqual((await post(agent.key, { mutedTypes: [] })).json().mutedTypes, []);
  });

  it('DELETE removes one device of the agent; another agent cannot remove it', async () => {
    const settings = await get(agent.key);
    const target = settings.devices[0].id as string;
    const foreign = await ctx.call({ method: 'DELETE', url: devicePath(target), key: other.key });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().code, 'not_found');
    const removed = await ctx.call({ method: 'DELETE', url: devicePath(target), key: agent.key });
    assert.equal(removed.statusCode, 204);
    const after = await get(agent.key);
    assert.deepEqual(
      after.devices.map((d: { id: string }) => d.id),
      settings.devices.slice(1).map((d: { id: string }) => d.id),
    );
    assert.equal((await ctx.call({ method: 'DELETE', url: devicePath(target), key: agent.key })).statusCode, 404, 'gone is gone');
  });

  it('{ "pushToken": null } removes every device of the agent here', async () => {
    await post(agent.key, { pushSubscription: subscription() });
    const cleared = (await post(agent.key, { pushToken: null })).json();
    assert.equal(cleared.pushToken, null);
    assert.deepEqual(cleared.devices, []);
    assert.equal((await get(other.key)).devices.length, 1, "another agent's devices stay");
  });

  describe('bad input: 400 with {error, code}, nothing stored', () => {
    const key = () => agent.key;
    const cases: Array<{ name: string; payload: () => object; code: string; says: RegExp }> = [
      { name: 'http endpoint', payload: () => ({ pushSubscription: subscription('http://push.example.net/x') }), code: 'invalid_push_subscription', says: /https/ },
      { name: 'not a URL', payload: () => ({ pushSubscription: subscription('push service') }), code: 'invalid_push_subscription', says: /absolute URL/ },
      {
        name: 'loopback IPv4',
        payload: () => ({ pushSubscription: subscription('https://127.0.0.1/push') }),
        code: 'push_endpoint_not_allowed',
        says: /loopback, private or link-local/,
      },
      { name: 'loopback IPv6', payload: () => ({ pushSubscription: subscription('https://[::1]:8443/push') }), code: 'push_endpoint_not_allowed', says: /public address/ },
      {
        name: 'IPv4-mapped loopback',
        payload: () => ({ pushSubscription: subscription('https://[::ffff:127.0.0.1]/push') }),
        code: 'push_endpoint_not_allowed',
        says: /public address/,
      },
      { name: 'localhost', payload: () => ({ pushSubscription: subscription('https://localhost:5432/') }), code: 'push_endpoint_not_allowed', says: /public host/ },
      { name: 'private 10/8', payload: () => ({ pushSubscription: subscription('https://10.1.2.3/push') }), code: 'push_endpoint_not_allowed', says: /public address/ },
      { name: 'private 192.168/16', payload: () => ({ pushSubscription: subscription('https://192.168.0.10/push') }), code: 'push_endpoint_not_allowed', says: /public address/ },
      {
        name: 'link-local metadata service',
        payload: () => ({ pushSubscription: subscription('https://169.254.169.254/latest/meta-data') }),
        code: 'push_endpoint_not_allowed',
        says: /public address/,
      },
      { name: 'IPv6 unique local', payload: () => ({ pushSubscription: subscription('https://[fd00::1]/push') }), code: 'push_endpoint_not_allowed', says: /public address/ },
      {
        name: 'credentials in the URL',
        payload: () => ({ pushSubscription: subscription('https://user:pw@push.example.net/x') }),
        code: 'push_endpoint_not_allowed',
        says: /user name/,
      },
      {
        name: 'p256dh too short',
        payload: () => ({ pushSubscription: { ...subscription(), keys: { p256dh: randomBytes(33).toString('base64url'), auth: randomBytes(16).toString('base64url') } } }),
        code: 'invalid_push_subscription',
        says: /65 bytes/,
      },
      {
        name: 'p256dh not on the curve',
        payload: () => ({
          pushSubscription: {
            ...subscription(),
            keys: { p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url'), auth: randomBytes(16).toString('base64url') },
          },
        }),
        code: 'invalid_push_subscription',
        says: /P-256 curve/,
      },
      {
        name: 'p256dh not base64url',
        payload: () => ({ pushSubscription: { ...subscription(), keys: { p256dh: 'not base64url!', auth: randomBytes(16).toString('base64url') } } }),
        code: 'invalid_push_subscription',
        says: /base64url/,
      },
      {
        name: 'auth of 15 bytes',
        payload: () => ({ pushSubscription: { ...subscription(), keys: { ...subscription().keys, auth: randomBytes(15).toString('base64url') } } }),
        code: 'invalid_push_subscription',
        says: /16 bytes/,
      },
      {
        name: 'keys missing',
        payload: () => ({ pushSubscription: { endpoint: 'https://push.example.net/x' } }),
        code: 'invalid_request',
        says: /pushSubscription.keys is required/,
      },
      { name: 'mutedTypes not a list', payload: () => ({ mutedTypes: 'chat' }), code: 'invalid_request', says: /mutedTypes must be a list/ },
      { name: 'mutedTypes with upper case', payload: () => ({ mutedTypes: ['Chat'] }), code: 'invalid_request', says: /mutedTypes/ },
      { name: 'mutedTypes repeated', payload: () => ({ mutedTypes: ['a', 'a'] }), code: 'invalid_request', says: /distinct/ },
      { name: 'pushWhenConnected as a string', payload: () => ({ pushWhenConnected: 'true' }), code: 'invalid_request', says: /true or false/ },
      {
        name: 'a good token with a bad subscription stores neither',
        payload: () => ({ pushToken: 'would-be-stored', pushSubscription: subscription('https://10.0.0.1/') }),
        code: 'push_endpoint_not_allowed',
        says: /public/,
      },
    ];
    for (const badCase of cases) {
      it(badCase.name, async () => {
        const before = await snapshotState(ctx.database);
        const response = await post(key(), badCase.payload());
        assert.equal(response.statusCode, 400, response.body);
        assert.equal(response.json().code, badCase.code);
        assert.match(response.json().error, badCase.says);
        assert.equal(await snapshotState(ctx.database), before);
      });
    }

    it('more than 20 devices per agent', async () => {
      const crowded = await ctx.agent(chatbotId);
      const crowdedKey = (await ctx.agentKey(crowded)).key;
      for (let i = 0; i < 20; i += 1) assert.equal((await post(crowdedKey, { pushToken: `token-${i}` })).statusCode, 200);
      const before = await snapshotState(ctx.database);
      const response = await post(crowdedKey, { pushSubscription: subscription() });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().code, 'too_many_devices');
      assert.match(response.json().error, /at most 20 devices/);
      assert.equal(await snapshotState(ctx.database), before);
      assert.equal((await post(crowdedKey, { pushToken: 'token-3' })).statusCode, 200, 'refreshing one of the 20 is fine');
    });
  });

  it('the 20 devices hold under concurrency: 60 adds at once keep 20, the others refused', async () => {
    // The limit is checked under the agent's settings row lock (PostgreSQL) or the one writer (SQLite).
    const busy = await createTestContext({ env: { RATE_LIMIT_SETTINGS: '1000/60s' } });
    try {
      const cb = await busy.chatbot();
      const agentId = await busy.agent(cb);
      const key = (await busy.agentKey(agentId)).key;
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) => busy.call({ method: 'POST', url: meNotificationsPath(cb), key, payload: { pushToken: `concurrent-${i}` } })),
      );
      const stored = await busy.database.db.selectFrom('push_devices').select('id').where('agent_id', '=', agentId).execute();
      assert.equal(stored.length, 20);
      assert.equal(answers.filter((answer) => answer.statusCode === 200).length, 20);
      assert.ok(answers.filter((answer) => answer.statusCode !== 200).every((answer) => answer.json().code === 'too_many_devices'));
    } finally {
      await busy.close();
    }
  });

  it('an operator can allow http and a private push service host', async () => {
    const allowing = await createTestContext({ env: { PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: 'push.internal,10.9.8.7' } });
    try {
      const cb = await allowing.chatbot();
      const key = (await allowing.agentKey(await allowing.agent(cb))).key;
      const call = (endpoint: string) => allowing.call({ method: 'POST', url: meNotificationsPath(cb), key, payload: { pushSubscription: subscription(endpoint) } });
      assert.equal((await call('http://push.internal/x')).statusCode, 200);
      assert.equal((await call('https://10.9.8.7/x')).statusCode, 200);
      assert.equal((await call('https://10.9.8.8/x')).json().code, 'push_endpoint_not_allowed', 'only the listed hosts');
    } finally {
      await allowing.close();
    }
  });
});
