import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activityDecision, apiError, fromBase64Url, nextDelay, retryAfterMs } from '../src/index.js';
import { handleNotificationClick, notificationFromPush, OFFER_MESSAGE, offerOf, openFromNotification, type ServiceWorkerScopeLike } from '../src/service-worker.js';
import { offerTimeLeft } from '../src/offers.js';

describe('reconnect backoff', () => {
  const backoff = { initialMs: 500, maxMs: 30_000 };
  const cases: Array<[failures: number, random: number, delay: number]> = [
    [1, 0, 250],
    [1, 0.999_999, 500],
    [2, 0, 500],
    [2, 0.5, 750],
    [3, 0, 1000],
    [6, 0, 8000],
    [7, 0, 15_000], // 32 s capped at 30 s
    [8, 0, 15_000],
    [8, 0.999_999, 30_000],
    [1000, 0.5, 22_500], // a huge count never overflows
    [0, 0, 250], // no failure yet counts as the first
  ];
  for (const [failures, random, delay] of cases) {
    it(`failure ${failures}, random ${random} → ${delay} ms`, () => {
      assert.equal(
        nextDelay(failures, backoff, () => random),
        delay,
      );
    });
  }
  it('stays within half to all of each step for any random draw', () => {
    for (let failures = 1; failures < 12; failures += 1) {
      const step = Math.min(30_000, 500 * 2 ** (failures - 1));
      for (let draw = 0; draw < 50; draw += 1) {
        const delay = nextDelay(failures, backoff);
        assert.ok(delay >= step / 2 && delay <= step, `${delay} in [${step / 2}, ${step}]`);
      }
    }
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');
  const cases: Array<[header: string | null, ms: number | null]> = [
    [null, null],
    ['', null],
    ['7', 7000],
    [' 0 ', 0],
    ['Wed, 02 Dec 2026 10:00:30 GMT', 30_000],
    ['Wed, 02 Dec 2026 09:59:00 GMT', 0], // a date in the past: now
    ['soon', null],
    ['-5', null],
  ];
  for (const [header, ms] of cases) it(`${JSON.stringify(header)} → ${ms}`, () => assert.equal(retryAfterMs(header, now), ms));
});

describe('when input makes an activity report', () => {
  const cases: Array<[name: string, now: number, last: number | null, trailingDue: boolean, expected: ReturnType<typeof activityDecision>]> = [
    ['the first input reports at once', 1000, null, false, { action: 'report' }],
    ['input inside the window schedules one report at its end', 11_000, 1000, false, { action: 'schedule', at: 31_000 }],
    ['more input inside the window adds nothing', 20_000, 1000, true, { action: 'none' }],
    ['input once the window is over reports at once', 31_000, 1000, false, { action: 'report' }],
    ['input long after reports at once', 500_000, 1000, false, { action: 'report' }],
  ];
  for (const [name, now, last, trailingDue, expected] of cases) it(name, () => assert.deepEqual(activityDecision(now, last, trailingDue, 30_000), expected));
});

describe('how a push is shown', () => {
  const push = {
    id: 'ntf_1',
    type: 'conversation.waiting',
    title: 'A visitor is waiting',
    body: 'Anna: do you ship to Norway?',
    url: 'https://inbox.example.com/c/8812',
    data: { conversationId: 8812 },
    priority: 'normal',
    collapseKey: 'conv-8812',
    chatbotId: 'cb_1',
    createdAt: '2026-12-02T10:00:00.000Z',
  };
  it('title, body, the collapse key as tag (a newer one replaces it and alerts), the push as data', () => {
    const shown = notificationFromPush(JSON.stringify(push));
    assert.deepEqual(shown, {
      title: 'A visitor is waiting',
      options: { body: 'Anna: do you ship to Norway?', tag: 'conv-8812', data: push, requireInteraction: false, renotify: true, timestamp: Date.parse(push.createdAt) },
    });
  });
  it('without a collapse key, the notification id is the tag', () => {
    const shown = notificationFromPush(JSON.stringify({ ...push, collapseKey: null }));
    assert.equal(shown.options.tag, 'ntf_1');
    assert.equal(shown.options.renotify, false);
  });
  it('a critical push stays on screen until acted on', () => {
    assert.equal(notificationFromPush(JSON.stringify({ ...push, priority: 'critical' })).options.requireInteraction, true);
  });
  for (const text of [null, '', 'not json', '[1,2]', '{"body":"no title"}', 'null']) {
    it(`something unreadable (${JSON.stringify(text)}) still shows a notification`, () => {
      assert.deepEqual(notificationFromPush(text), {
        title: 'New notification',
        options: { body: '', tag: 'inbox-agents', data: null, requireInteraction: false, renotify: false },
      });
    });
  }
});

describe('small helpers', () => {
  it('decodes base64url with and without padding', () => {
    assert.deepEqual([...fromBase64Url('AQID_-8')], [1, 2, 3, 255, 239]);
    assert.deepEqual([...fromBase64Url('AQID_-8=')], [1, 2, 3, 255, 239]);
    assert.deepEqual([...fromBase64Url('')], []);
  });
  it('an error answer becomes status, code and message, whatever its body', () => {
    assert.deepEqual(
      { ...apiError(400, { error: 'text must be at most 100 characters', code: 'invalid_request' }) },
      { status: 400, code: 'invalid_request', name: 'InboxApiError' },
    );
    const bare = apiError(502, 'Bad Gateway');
    assert.deepEqual([bare.status, bare.code, bare.message], [502, 'http_502', 'The service answered 502']);
  });
});

describe('where a click on a notification goes', () => {
  /** A service worker's clients as the browser reports them: each tab's URL, and what was done. */
  function scope(tabs: string[]) {
    const done: string[] = [];
    const fake: ServiceWorkerScopeLike = {
      location: { href: 'https://inbox.example.com/app/sw.js' },
      registration: { scope: 'https://inbox.example.com/app/', showNotification: async () => undefined },
      clients: {
        matchAll: async () =>
          tabs.map((url) => ({
            url,
            focus: async () => done.push(`focus ${url}`),
            navigate: async (to: string) => done.push(`navigate ${url} -> ${to}`),
          })),
        openWindow: async (url: string) => done.push(`open ${url}`),
      },
      addEventListener: () => undefined,
    };
    return { fake, done };
  }
  const cases: Array<[name: string, tabs: string[], url: string | null, expected: string[]]> = [
    [
      'the tab already showing it is focused',
      ['https://inbox.example.com/app/#/status', 'https://inbox.example.com/c/8812'],
      'https://inbox.example.com/c/8812',
      ['focus https://inbox.example.com/c/8812'],
    ],
    [
      'an open tab of the origin is focused and sent there',
      ['https://inbox.example.com/app/#/status'],
      '/app/#/team',
      ['focus https://inbox.example.com/app/#/status', 'navigate https://inbox.example.com/app/#/status -> https://inbox.example.com/app/#/team'],
    ],
    ['no tab: a new window', [], 'https://inbox.example.com/c/1', ['open https://inbox.example.com/c/1']],
    ['another origin opens a window, leaving the console tab alone', ['https://inbox.example.com/app/'], 'https://crm.example.org/t/5', ['open https://crm.example.org/t/5']],
    ['no url: the console', [], null, ['open https://inbox.example.com/app/']],
  ];
  for (const [name, tabs, url, expected] of cases) {
    it(name, async () => {
      const { fake, done } = scope(tabs);
      await openFromNotification(fake, url);
      assert.deepEqual(done, expected);
    });
  }
});

describe('an offer’s notification: Accept and Decline', () => {
  const offerPush = {
    id: 'ntf_2',
    type: 'chat.assigned',
    title: 'Chat offered to you: Refund',
    body: 'I was charged twice',
    url: '/app/',
    data: { conversationId: 'conv-9', transferred: false, offer: { chatbotId: 'cb_1', expiresAt: '2026-12-08T10:00:30.000Z', secret: 's3cret' } },
    priority: 'normal',
    collapseKey: null,
    chatbotId: 'cb_1',
    createdAt: '2026-12-08T10:00:00.000Z',
  };
  it('an offer’s push stays on screen with Accept and Decline', () => {
    const shown = notificationFromPush(JSON.stringify(offerPush));
    assert.equal(shown.options.requireInteraction, true);
    assert.deepEqual(shown.options.actions, [
      { action: 'accept', title: 'Accept' },
      { action: 'decline', title: 'Decline' },
    ]);
  });
  it('without the secret (told late by the sweep) it has no buttons, and still stays', () => {
    const shown = notificationFromPush(JSON.stringify({ ...offerPush, data: { ...offerPush.data, offer: { chatbotId: 'cb_1', expiresAt: offerPush.data.offer.expiresAt } } }));
    assert.equal(shown.options.actions, undefined);
    assert.equal(shown.options.requireInteraction, true);
  });
  for (const data of [
    null,
    {},
    { conversationId: 'c' },
    { conversationId: 'c', offer: {} },
    { conversationId: 'c', offer: { chatbotId: 1, expiresAt: 'x' } },
    { conversationId: 5, offer: { chatbotId: 'cb', expiresAt: 'x' } },
  ]) {
    it(`data ${JSON.stringify(data)} is no offer`, () => assert.equal(offerOf({ data } as never), null));
  }

  /** A worker scope with tabs, and a fetch that answers as the service does (status and JSON error body). */
  function world(tabs: string[], status: number) {
    const done: string[] = [];
    const fake: ServiceWorkerScopeLike = {
      location: { href: 'https://inbox.example.com/app/sw.js' },
      registration: { scope: 'https://inbox.example.com/app/', showNotification: async () => undefined },
      clients: {
        matchAll: async () =>
          tabs.map((url) => ({
            url,
            focus: async () => done.push(`focus ${url}`),
            navigate: async (to: string) => done.push(`navigate ${url} -> ${to}`),
            postMessage: (message: unknown) => done.push(`message ${JSON.stringify(message)}`),
          })),
        openWindow: async (url: string) => done.push(`open ${url}`),
      },
      addEventListener: () => undefined,
    };
    const fetch = (async (url: string, init: { method: string; body: string }) => {
      done.push(`${init.method} ${url} ${init.body}`);
      return new Response(status === 200 ? '{}' : JSON.stringify({ error: 'the offer lapsed', code: 'offer_expired' }), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }) as unknown as typeof globalThis.fetch;
    return { fake, done, fetch };
  }
  const answerUrl = (verb: string) => `POST https://inbox.example.com/v1/inbox/cb_1/offers/conv-9/${verb} {"secret":"s3cret"}`;
  const cases: Array<[name: string, tabs: string[], action: string, status: number, data: object, expected: string[]]> = [
    ['Accept sends the secret, then opens the inbox', [], 'accept', 200, offerPush, [answerUrl('accept'), 'open https://inbox.example.com/app/']],
    ['Decline sends the secret and opens nothing', [], 'decline', 200, offerPush, [answerUrl('decline')]],
    [
      'a Decline the service refused (lapsed) opens the inbox, where the agent sees why',
      [],
      'decline',
      409,
      offerPush,
      [answerUrl('decline'), 'open https://inbox.example.com/app/'],
    ],
    ['a click on the notification itself answers nothing: it opens the inbox', [], '', 200, offerPush, ['open https://inbox.example.com/app/']],
    [
      'a notification a tab showed (no secret) hands the answer to the tab, which answers with its key',
      ['https://inbox.example.com/app/#/chats'],
      'accept',
      200,
      { ...offerPush, data: { conversationId: 'conv-9', offer: { chatbotId: 'cb_1', expiresAt: offerPush.data.offer.expiresAt } } },
      [`message ${JSON.stringify({ type: OFFER_MESSAGE, action: 'accept', chatbotId: 'cb_1', conversationId: 'conv-9' })}`, 'focus https://inbox.example.com/app/#/chats'],
    ],
  ];
  for (const [name, tabs, action, status, data, expected] of cases) {
    it(name, async () => {
      const { fake, done, fetch } = world(tabs, status);
      await handleNotificationClick(fake, data, action, { fetch });
      assert.deepEqual(done, expected);
    });
  }
  it('the time left to answer, never below 0', () => {
    assert.equal(offerTimeLeft('2026-12-08T10:00:30.000Z', Date.parse('2026-12-08T10:00:00.000Z')), 30_000);
    assert.equal(offerTimeLeft('2026-12-08T10:00:30.000Z', Date.parse('2026-12-08T10:01:00.000Z')), 0);
  });
});
