import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumSkip, CHROMIUM, deliverPushAndWait, hasChromium, launchChromium, pushManagerAnswering } from '../../test/helpers/chromium.js';
import { PROJECT_ROOT } from '../../test/helpers/processes.js';
import { TestPushService } from '../../test/helpers/push-service.js';
import { createInboxClient, ok, setMyStatus } from '../../sdk/src/index.js';
import { provisionTeam, startService, type Service, type Team } from '../../sdk/test/helpers.js';

/** Where the run's screenshots go, to be looked at (not compared): every view, light and dark. */
export const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'console');

// The console talks to the service only over HTTP, so, like the SDK's, its tests run once (in
// the SQLite half of npm test), against the real service in its own process.
const skip = chromiumSkip;

/** Clicks the download link named `name` and reads the file the browser saved. */
async function downloaded(page: Page, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const stream = await file.createReadStream();
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('the agent console in Chromium', { skip }, () => {
  let service: Service;
  let team: Team;
  let push: TestPushService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    assert.ok(hasChromium, `Chromium is required in CI (${CHROMIUM})`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    push = await TestPushService.start();
    service = await startService({ PRESENCE_TTL_SECONDS: '3', PRESENCE_GRACE_SECONDS: '2', PUSH_ALLOW_HTTP: 'true', PUSH_ALLOWED_HOSTS: '127.0.0.1' });
    team = await provisionTeam(service, ['Ada', 'Grace']);
    browser = await launchChromium();
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await service?.close();
    await push?.close();
  });

  async function loginLink(agentId: string): Promise<string> {
    const link = ok(await service.operator.POST('/v1/inbox/{chatbotId}/agents/{agentId}/login-links', { params: { path: { chatbotId: team.chatbotId, agentId } } }));
    return link.url;
  }

  /** A browser of its own (a context), signed in through a login link. */
  async function signIn(agentId: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; context: BrowserContext; urls: string[] }> {
    const context = await browser.newContext({ colorScheme: options.colorScheme ?? 'light', viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    (page as Page & { errors?: string[] }).errors = errors;
    await page.goto(await loginLink(agentId));
    await page.getByRole('button', { name: /^Status/ }).waitFor();
    return { page, context, urls };
  }

  const teamItem = (page: Page, name: string) =>
    page
      .getByRole('list', { name: 'Team' })
      .getByRole('listitem')
      .filter({ hasText: `${name}:` });

  it('signs in through a login link: the key never in a URL, a strict CSP, and a used link says so', async () => {
    const ada = team.agents[0]!;
    const link = await loginLink(ada.id);
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(link);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    await page.getByRole('button', { name: /^Status/ }).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token is taken out of the address bar');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('inbox-agents.session') ?? '{}') as { key?: string });
    assert.match(stored.key ?? '', /^cck_|^cca_|^\w+_/);
    assert.ok(!urls.some((url) => url.includes(stored.key!)), 'the key is never in a URL');
    assert.deepEqual(violations, [], 'nothing was refused by the policy');
    const keys = ok(await service.operator.GET('/v1/chatbots/{chatbotId}/keys', { params: { path: { chatbotId: team.chatbotId } } }));
    assert.ok(
      keys.items.some((key) => key.agentId === ada.id && /Chrom/.test(key.name ?? '') && key.expiresAt),
      'the browser has an agent key of its own, named after the browser, that expires',
    );

    const again = await context.newPage();
    await again.goto(link);
    await again.getByText('This sign-in link was already used, was revoked or has expired. Ask an admin of your team for a new one.').waitFor();
    await again.close();
    await context.close();
  });

  it('two agents: a status chosen in one browser shows in the other within a second; closing the only tab shows offline after the grace', async () => {
    const [ada, grace] = team.agents as [Team['agents'][number], Team['agents'][number]];
    const adaBrowser = await signIn(ada.id);
    const graceBrowser = await signIn(grace.id);
    await graceBrowser.page.getByRole('link', { name: 'My team' }).click();
    await teamItem(graceBrowser.page, 'Ada').waitFor();

    const status = adaBrowser.page.getByRole('button', { name: /^Status/ });
    await adaBrowser.page.getByLabel('Status text').fill('In a meeting');
    await adaBrowser.page.getByLabel('Ends').selectOption({ label: 'For 30 min' });
    await status.click();
    const menu = adaBrowser.page.getByRole('menu', { name: 'Status' });
    assert.deepEqual(await menu.getByRole('menuitem').allTextContents(), ['Available', 'Away', 'Busy', 'Do not disturb', 'Offline']);
    const chosenAt = Date.now();
    await menu.getByRole('menuitem', { name: 'Busy' }).click();
    await graceBrowser.page.waitForFunction(
      () => [...document.querySelectorAll('ul[aria-label="Team"] li')].some((li) => /^Ada: Busy: In a meeting, until/.test(li.textContent ?? '')),
      undefined,
      { timeout: 1000 },
    );
    const shownAfter = Date.now() - chosenAt;
    assert.ok(shownAfter <= 1000, `shown in the other browser ${shownAfter} ms after the choice`);
    await adaBrowser.page.getByRole('button', { name: 'Status: Busy' }).waitFor();
    assert.match((await adaBrowser.page.locator('.derived').textContent()) ?? '', /^Busy: In a meeting, until \d\d:\d\d$/);

    // By keyboard: open with ArrowDown, move, choose with Enter.
    await status.focus();
    await adaBrowser.page.keyboard.press('ArrowDown');
    await adaBrowser.page.keyboard.press('ArrowDown');
    await adaBrowser.page.keyboard.press('Enter');
    await adaBrowser.page.getByRole('button', { name: 'Status: Away' }).waitFor();
    await teamItem(graceBrowser.page, 'Ada').filter({ hasText: 'Ada: Away' }).waitFor({ timeout: 10_000 });
    await adaBrowser.page.getByLabel('Status text').fill('');
    await adaBrowser.page.getByLabel('Ends').selectOption({ label: 'No end' });
    await status.click();
    await adaBrowser.page.getByRole('menuitem', { name: 'Available' }).click();
    await teamItem(graceBrowser.page, 'Ada').filter({ hasText: 'Ada: Available' }).waitFor({ timeout: 10_000 });

    await adaBrowser.page.close();
    const closedAt = Date.now();
    await teamItem(graceBrowser.page, 'Ada').filter({ hasText: 'Ada: Offline' }).waitFor({ timeout: 15_000 });
    const offlineAfter = Date.now() - closedAt;
    assert.ok(offlineAfter >= 1500, `offline ${offlineAfter} ms after the tab closed: not before the grace`);
    await graceBrowser.context.close();
    await adaBrowser.context.close();
  });

  it('the server restarts: the team says it lost the connection, then recovers by itself with the changes made meanwhile', async () => {
    const [ada, grace] = team.agents as [Team['agents'][number], Team['agents'][number]];
    const graceBrowser = await signIn(grace.id);
    await graceBrowser.page.getByRole('link', { name: 'My team' }).click();
    await teamItem(graceBrowser.page, 'Ada').waitFor();
    await setMyStatus(ada.api, team.chatbotId, 'available');
    // Ada is at work on another device meanwhile: its heartbeats keep her alive (the TTL here is 3 s).
    const heartbeat = setInterval(() => {
      void ada.api
        .POST('/v1/inbox/{chatbotId}/agents/me/online', { params: { path: { chatbotId: team.chatbotId } }, body: { online: true, clientTimestamp: String(Date.now()) } })
        .catch(() => undefined);
    }, 1000);
    try {
      await service.server.stop();
      const reconnecting = graceBrowser.page.getByRole('status').filter({ hasText: 'Reconnecting…' });
      await reconnecting.waitFor({ timeout: 10_000 });
      await service.restart();
      // Made before this browser is back: it must arrive with the resumed stream.
      await setMyStatus(ada.api, team.chatbotId, 'dnd', { text: 'Focus time' });
      // The console waits between attempts up to the SDK's longest backoff step (30 s) after a run of failures.
      await teamItem(graceBrowser.page, 'Ada').filter({ hasText: 'Ada: Do not disturb: Focus time' }).waitFor({ timeout: 75_000 });
      await reconnecting.waitFor({ state: 'hidden', timeout: 5000 });
    } finally {
      clearInterval(heartbeat);
    }
    await setMyStatus(ada.api, team.chatbotId, 'available');
    await graceBrowser.context.close();
  });

  it('no input for the idle time shows Away (idle); a mouse move brings it back', async () => {
    const ada = team.agents[0]!;
    await setMyStatus(ada.api, team.chatbotId, 'available');
    ok(await service.operator.PATCH('/v1/chatbots/{chatbotId}', { params: { path: { chatbotId: team.chatbotId } }, body: { idleAfterSeconds: 30 } }));
    try {
      const { page } = await signIn(ada.id);
      await page.getByRole('button', { name: 'Status: Available' }).waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Status: Away' }).waitFor({ timeout: 45_000 });
      assert.match((await page.locator('.derived').textContent()) ?? '', /^Away: idle for \d+ min$/);
      await page.mouse.move(200, 300);
      await page.mouse.move(220, 310);
      await page.getByRole('button', { name: 'Status: Available' }).waitFor({ timeout: 15_000 });
      await page.context().close();
    } finally {
      ok(await service.operator.PATCH('/v1/chatbots/{chatbotId}', { params: { path: { chatbotId: team.chatbotId } }, body: { idleAfterSeconds: 600 } }));
    }
  });

  it("notifications: enabling subscribes the console's service worker and registers the device; a push sent through the API is shown with its title, body and tag", async () => {
    const ada = team.agents[0]!;
    const subscription = push.subscribe();
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    await context.grantPermissions(['notifications'], { origin: service.url });
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    // Chromium here cannot reach its vendor's push service: where it would answer, the loopback
    // RFC 8030 push service's subscription is given instead.
    await context.addInitScript({ content: pushManagerAnswering(subscription.json) });
    const page = await context.newPage();
    await page.goto(await loginLink(ada.id));
    await page.getByRole('button', { name: /^Status/ }).waitFor();
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('button', { name: 'Enable browser notifications' }).click();
    await page.getByText('Browser notifications are on.').waitFor();
    await page.getByRole('list', { name: 'My devices' }).getByText('(this browser)').waitFor();
    // Ada has the console open: pushes reach her only if she asks for them while it is open.
    await page.getByLabel('Push even while the console is open').check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Saved.').waitFor();

    const integration = createInboxClient({ baseUrl: service.url, apiKey: team.integrationKey });
    ok(
      await integration.POST('/v1/inbox/{chatbotId}/notifications', {
        params: { path: { chatbotId: team.chatbotId } },
        body: {
          type: 'conversation.waiting',
          title: 'A visitor is waiting',
          body: 'Anna: do you ship to Norway?',
          url: `${service.url}/app/#/team`,
          audience: { agentIds: [ada.id] },
          collapseKey: 'conv-8812',
          priority: 'critical',
        },
      }),
    );
    await push.waitForDelivered(1, 15_000);
    const received = push.delivered(subscription.id)[0]!;
    const shown = await deliverPushAndWait(context, page, `${service.url}/app/`, received.payload);
    assert.deepEqual(shown, [{ title: 'A visitor is waiting', body: 'Anna: do you ship to Norway?', tag: 'conv-8812' }]);

    await page.getByRole('button', { name: 'Send me a test notification' }).click();
    await page.getByText('A test notification is on its way to your device.').waitFor();
    await push.waitForDelivered(2, 15_000);
    assert.equal(push.delivered(subscription.id).at(-1)?.payload.title, 'Test notification');
    assert.deepEqual(push.violations, []);

    await page.getByRole('button', { name: /^Remove device/ }).click();
    await page.getByText('No devices yet.').waitFor();
    await context.close();
  });

  it("supervisor: an admin overrides an agent's status and reads the time-in-state report as a chart, with a CSV to download", async () => {
    const [ada, grace] = team.agents as [Team['agents'][number], Team['agents'][number]];
    const graceBrowser = await signIn(grace.id); // Grace is at work: her console is open
    const { page } = await signIn(ada.id);
    await page.getByRole('link', { name: 'Supervisor' }).click();
    await page.getByLabel('New status for Grace').selectOption({ label: 'Busy' });
    await page.getByRole('button', { name: "Set Grace's status" }).click();
    await page.getByText('Grace is set to Busy.').waitFor();
    await page.getByRole('list', { name: 'Team availability' }).getByRole('listitem').filter({ hasText: 'Grace: Busy' }).waitFor();
    const listed = ok(await service.operator.GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId: team.chatbotId } } })).agents.find(
      (agent) => agent.agentId === grace.id,
    )!;
    assert.deepEqual([listed.state, listed.setBy], ['busy', ada.id], 'the override is recorded as made by Ada');

    await page.getByRole('link', { name: 'Reports' }).first().click();
    await page.getByRole('table').getByRole('rowheader', { name: 'Ada' }).waitFor();
    const canvas = page.getByRole('img', { name: 'Time in each state per agent' });
    assert.ok(((await canvas.boundingBox())?.height ?? 0) > 100, 'the chart is drawn');
    const csv = await downloaded(page, 'Download CSV');
    assert.match(csv.split('\n')[0]!, /agentId/);
    assert.ok(csv.includes(ada.id), 'the CSV has the rows');
    await page.context().close();
    // An agent who is not an admin sees no supervisor views; asking for one by its address says
    // why, and the address says where the agent is.
    assert.equal(await graceBrowser.page.getByRole('link', { name: 'Supervisor' }).count(), 0);
    await graceBrowser.page.evaluate(() => {
      location.hash = '#/supervisor';
    });
    await graceBrowser.page.getByRole('alert').filter({ hasText: 'Supervisor is for admins of this chatbot' }).waitFor();
    assert.equal(new URL(graceBrowser.page.url()).hash, '#/status');
    await graceBrowser.context.close();
  });

  it('the working-hours editor: outside the saved hours the console says so; removing them brings the agent back', async () => {
    // A new agent, who has never chosen to be online explicitly (which would override the hours).
    const agent = ok(await service.operator.POST('/v1/agents', { body: { name: 'Linus' } }));
    ok(await service.operator.PUT('/v1/chatbots/{chatbotId}/members/{agentId}', { params: { path: { chatbotId: team.chatbotId, agentId: agent.id } }, body: { role: 'agent' } }));
    const { page, context } = await signIn(agent.id);
    await page.getByRole('button', { name: 'Status: Available' }).waitFor({ timeout: 15_000 });
    // Every day, one hour that is not now (in UTC).
    const hour = new Date().getUTCHours();
    const start = hour + 3 <= 23 ? hour + 2 : hour - 3;
    const at = (h: number) => `${String(h).padStart(2, '0')}:00`;
    await page.getByLabel('Time zone').fill('UTC');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      await page.getByLabel(day, { exact: true }).check();
      await page.getByLabel(`${day} from`).fill(at(start));
      await page.getByLabel(`${day} to`).fill(at(start + 1));
    }
    await page.getByRole('button', { name: 'Save working hours' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Status: Offline' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.derived').textContent(), 'Offline: outside working hours');
    const saved = ok(
      await createInboxClient({ baseUrl: service.url, apiKey: team.integrationKey }).GET('/v1/inbox/{chatbotId}/agents/online', {
        params: { path: { chatbotId: team.chatbotId } },
      }),
    ).agents.find((entry) => entry.agentId === agent.id)!;
    assert.deepEqual([saved.state, saved.reason], ['offline', 'outside_working_hours']);

    await page.getByRole('button', { name: 'Remove working hours' }).click();
    await page.getByText('Your working hours were removed.').waitFor();
    await page.getByRole('button', { name: 'Status: Available' }).waitFor({ timeout: 10_000 });
    await context.close();
  });

  it('the chatbot switcher: an agent of two chatbots switches between them, with its role in each', async () => {
    const ada = team.agents[0]!;
    const billing = ok(await service.operator.POST('/v1/chatbots', { body: { name: 'Acme Billing' } }));
    ok(await service.operator.PUT('/v1/chatbots/{chatbotId}/members/{agentId}', { params: { path: { chatbotId: billing.id, agentId: ada.id } }, body: { role: 'agent' } }));
    const { page, context } = await signIn(ada.id);
    const switcher = page.getByRole('combobox', { name: 'Chatbot' });
    assert.deepEqual(await switcher.locator('option').allTextContents(), ['Acme Billing', 'Acme Support']);
    assert.equal(await switcher.inputValue(), team.chatbotId, 'first the chatbot the link was made for');
    assert.equal(await page.getByRole('link', { name: 'Supervisor' }).count(), 1, 'an admin in Acme Support');
    await Promise.all([page.waitForEvent('load'), switcher.selectOption({ label: 'Acme Billing' })]);
    await page.getByRole('link', { name: 'My team' }).click();
    await teamItem(page, 'Ada').waitFor();
    assert.equal(await page.getByRole('list', { name: 'Team' }).getByRole('listitem').count(), 1, "Acme Billing's team: Ada alone");
    assert.equal(await page.getByRole('link', { name: 'Supervisor' }).count(), 0, 'an agent in Acme Billing');
    assert.equal(await page.getByRole('combobox', { name: 'Chatbot' }).inputValue(), billing.id);
    await context.close();
  });

  it('"Sign out" revokes the browser\'s key and forgets it', async () => {
    const grace = team.agents[1]!;
    const { page, context } = await signIn(grace.id);
    const { key } = await page.evaluate(() => JSON.parse(localStorage.getItem('inbox-agents.session') ?? '{}') as { key: string });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('inbox-agents.session')), null, 'the key is forgotten');
    const refused = await createInboxClient({ baseUrl: service.url, apiKey: key }).GET('/v1/inbox/{chatbotId}/agents/me', { params: { path: { chatbotId: team.chatbotId } } });
    assert.deepEqual([refused.response.status, (refused.error as { code?: string } | undefined)?.code], [401, 'revoked_key'], 'and revoked');
    await page.reload();
    await page.getByText('You are not signed in.').waitFor();
    await page.getByText('To sign in, ask an admin of your team for a sign-in link').waitFor();
    await context.close();
  });

  it('an admin invites a colleague from My team: the link (copied with one click) signs a new agent in; a pending invitation can be revoked', async () => {
    const ada = team.agents[0]!;
    const { page, context } = await signIn(ada.id);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: service.url });
    await page.getByRole('link', { name: 'My team' }).click();
    const invite = page.getByRole('region', { name: 'Invite a colleague' });
    await invite.getByLabel('Name').fill('Hedy');
    await invite.getByLabel('E-mail').fill('hedy@example.com');
    await invite.getByLabel('Role').selectOption({ label: 'Agent' });
    await invite.getByRole('button', { name: 'Invite' }).click();
    const panel = page.getByRole('group', { name: 'Invitation link for Hedy' });
    await panel.waitFor();
    const url = await panel.getByRole('textbox', { name: 'Invitation link for Hedy' }).inputValue();
    assert.match(url, /\/app\/#login=[A-Za-z0-9_-]{43}$/);
    await panel.getByRole('button', { name: 'Copy link' }).click();
    await panel.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url, 'the link is on the clipboard');
    await page.getByRole('list', { name: 'Pending invitations' }).getByText('Hedy <hedy@example.com>').waitFor();

    // Hedy opens it in her own browser: she is a new agent of the team, signed in.
    const hedyContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(hedyContext);
    const hedy = await hedyContext.newPage();
    await hedy.goto(url);
    await hedy.getByRole('button', { name: /^Status/ }).waitFor();
    await hedy.getByText('Hedy', { exact: true }).waitFor();
    await teamItem(page, 'Hedy').waitFor();
    await page.getByRole('list', { name: 'Pending invitations' }).getByText('No pending invitations.').waitFor();
    // The used link is gone, and the admin is told why.
    await page.getByText('Hedy accepted the invitation: they are a member now.').waitFor();
    assert.equal(await page.getByRole('group', { name: 'Invitation link for Hedy' }).count(), 0, 'the used invitation box is gone');

    // Another invitation, revoked before use: its link then says so.
    await invite.getByLabel('Name').fill('Radia');
    await invite.getByLabel('E-mail').fill('radia@example.com');
    await invite.getByRole('button', { name: 'Invite' }).click();
    const revokedUrl = await page.getByRole('textbox', { name: 'Invitation link for Radia' }).inputValue();
    await page.getByRole('button', { name: 'Revoke the invitation of Radia' }).click();
    await page.getByText('The invitation of Radia was revoked: its link no longer works.').waitFor();
    const late = await hedyContext.newPage();
    await late.goto(revokedUrl);
    await late.getByText('This sign-in link was already used, was revoked or has expired.').waitFor();
    await hedyContext.close();
    await context.close();
  });

  it("an admin runs the team from My team: roles, the last-admin rule explained, a sign-in link for a member, removal; one's own row is marked", async () => {
    const ada = team.agents[0]!;
    const extra = ok(await service.operator.POST('/v1/agents', { body: { name: 'Katherine' } }));
    ok(await service.operator.PUT('/v1/chatbots/{chatbotId}/members/{agentId}', { params: { path: { chatbotId: team.chatbotId, agentId: extra.id } }, body: { role: 'agent' } }));
    const { page, context } = await signIn(ada.id);
    await page.getByRole('link', { name: 'My team' }).click();
    const own = page.getByRole('list', { name: 'Team' }).locator('li[aria-current="true"]');
    await own.getByText('(you)').waitFor();
    assert.match((await own.textContent()) ?? '', /^Ada:/, 'her own row is the marked one');

    // Ada is the only admin: she cannot make herself an agent, and the console says why.
    await page.getByLabel('Role of Ada').selectOption({ label: 'Agent' });
    await page.getByText('Ada is the last admin of this team, and a team always keeps one: make another member admin first.', { exact: false }).waitFor();
    assert.equal(await page.getByLabel('Role of Ada').inputValue(), 'admin', 'the selector shows the role that stands');

    await page.getByLabel('Role of Katherine').selectOption({ label: 'Admin' });
    await page.getByText('Katherine is now admin.').waitFor();
    const member = ok(await service.operator.GET('/v1/chatbots/{chatbotId}/members/{agentId}', { params: { path: { chatbotId: team.chatbotId, agentId: extra.id } } }));
    assert.equal(member.role, 'admin');

    // Skills, typed apart by spaces or commas and saved with Enter; a name the rule refuses says why and changes nothing.
    const skills = page.getByLabel('Skills of Katherine');
    await skills.fill('es, Billing');
    await skills.press('Enter');
    await page.getByText('The skills were not changed: skills: "Billing" is not a skill name: a skill is 1 to 40 lower-case letters', { exact: false }).waitFor();
    assert.equal(await skills.inputValue(), '', 'the field shows the skills that stand');
    await skills.fill('es, billing');
    await skills.press('Enter');
    await page.getByText("Katherine's skills: billing, es.").waitFor();
    assert.equal(await skills.inputValue(), 'billing es');
    const skilled = ok(await service.operator.GET('/v1/chatbots/{chatbotId}/members/{agentId}', { params: { path: { chatbotId: team.chatbotId, agentId: extra.id } } }));
    assert.deepEqual(skilled.skills, ['billing', 'es']);

    await page.getByRole('button', { name: 'Sign-in link for Katherine' }).click();
    const link = await page.getByRole('textbox', { name: 'Sign-in link for Katherine' }).inputValue();
    assert.match(link, /#login=/);

    const remove = page.getByRole('button', { name: 'Remove Katherine' });
    await remove.click();
    await page.getByRole('button', { name: 'Really remove Katherine?' }).click();
    await page.getByText('Katherine was removed from the team; their keys no longer work here.').waitFor();
    await teamItem(page, 'Katherine').waitFor({ state: 'detached' });
    await context.close();
  });

  it('the status menu is in the header of every view; Enter applies the status text; a reload shows the status that stands', async () => {
    const ada = team.agents[0]!;
    const { page, context } = await signIn(ada.id);
    await page.getByRole('link', { name: 'My team' }).click();
    await page
      .getByRole('banner')
      .getByRole('button', { name: /^Status/ })
      .click();
    await page.getByRole('menuitem', { name: 'Busy' }).click();
    await teamItem(page, 'Ada')
      .filter({ hasText: /^Ada: Busy/ })
      .waitFor();
    await page.getByRole('button', { name: 'Status: Busy' }).waitFor();

    await page.getByRole('link', { name: 'My status' }).click();
    await page.getByLabel('Status text').fill('Back at three');
    await page.getByLabel('Status text').press('Enter');
    await page.locator('.derived').filter({ hasText: 'Busy: Back at three' }).waitFor();
    await page.getByLabel('Ends').selectOption({ label: 'For 1 h' });
    await page.getByLabel('Status text').press('Enter');
    await page
      .locator('.derived')
      .filter({ hasText: /^Busy: Back at three, until \d\d:\d\d$/ })
      .waitFor();

    await page.reload();
    await page.getByRole('button', { name: 'Status: Busy' }).waitFor();
    await page.locator('.derived').filter({ hasText: 'Busy: Back at three' }).waitFor();
    assert.equal(await page.getByLabel('Status text').inputValue(), 'Back at three', 'the text that stands');
    assert.match((await page.getByLabel('Ends').locator('option:checked').textContent()) ?? '', /^Until \d\d:\d\d$/, 'and its end');
    await setMyStatus(ada.api, team.chatbotId, 'available');
    await context.close();
  });

  it('a sign-in link opened in a tab where the console is already open signs that tab in', async () => {
    const [ada, grace] = team.agents as [Team['agents'][number], Team['agents'][number]];
    const { page, context } = await signIn(ada.id);
    await page.getByText('Ada', { exact: true }).waitFor();
    await page.goto(await loginLink(grace.id));
    await page.getByText('Grace', { exact: true }).waitFor();
    await page.getByRole('button', { name: /^Status/ }).waitFor();
    assert.equal(new URL(page.url()).hash.startsWith('#login='), false, 'the token left the address bar');
    await context.close();
  });

  it("the supervisor's override starts from the agent's status and sets a text and an end; each agent's history opens from the supervisor and team views", async () => {
    const [ada, grace] = team.agents as [Team['agents'][number], Team['agents'][number]];
    const graceBrowser = await signIn(grace.id);
    await setMyStatus(grace.api, team.chatbotId, 'dnd', { text: 'Focus time' });
    const { page, context } = await signIn(ada.id);
    await page.getByRole('link', { name: 'Supervisor' }).click();
    await page.getByRole('list', { name: 'Team availability' }).getByRole('listitem').filter({ hasText: 'Grace: Do not disturb: Focus time' }).waitFor();
    assert.equal(await page.getByLabel('New status for Grace').inputValue(), 'dnd', 'starts from her status');
    assert.equal(await page.getByLabel('Status text for Grace').inputValue(), 'Focus time', 'and her text');
    await page.getByLabel('New status for Grace').selectOption({ label: 'Busy' });
    await page.getByLabel('Status text for Grace').fill('On the phone queue');
    await page.getByLabel('Ends for Grace').selectOption({ label: 'For 30 min' });
    await page.getByRole('button', { name: "Set Grace's status" }).click();
    await page
      .getByRole('list', { name: 'Team availability' })
      .getByRole('listitem')
      .filter({ hasText: /Grace: Busy: On the phone queue, until \d\d:\d\d/ })
      .waitFor();
    // The form now starts from that status, its end included, not "No end".
    await page.waitForFunction(() =>
      /^Until \d\d:\d\d, as now$/.test(document.querySelector<HTMLSelectElement>('select[aria-label="Ends for Grace"]')?.selectedOptions[0]?.textContent ?? ''),
    );

    await page.getByRole('button', { name: 'History of Grace' }).click();
    const history = page.getByRole('table', { name: 'History of Grace' });
    await history.getByRole('rowheader', { name: 'Busy' }).first().waitFor();
    await history.getByText('On the phone queue').first().waitFor();
    await history.getByText('Ada').first().waitFor();
    await page.getByRole('link', { name: 'My team' }).click();
    await page.getByRole('button', { name: 'History of Grace' }).click();
    await page.getByRole('table', { name: 'History of Grace' }).getByText('Focus time').first().waitFor();
    await setMyStatus(grace.api, team.chatbotId, 'available');
    await graceBrowser.context.close();
    await context.close();
  });

  it("the supervisor sees each agent's open chats and moves one to another agent", async () => {
    const [ada, grace] = team.agents as [Team['agents'][number], Team['agents'][number]];
    const graceBrowser = await signIn(grace.id);
    const { page, context } = await signIn(ada.id);
    await setMyStatus(grace.api, team.chatbotId, 'available');
    await setMyStatus(ada.api, team.chatbotId, 'available');
    const assigned = ok(
      await service.operator.POST('/v1/inbox/{chatbotId}/assignments', {
        params: { path: { chatbotId: team.chatbotId } },
        body: { conversationId: 'chat-77', preferredAgentId: grace.id },
      }),
    );
    assert.equal(assigned.agentId, grace.id);
    await page.getByRole('link', { name: 'Supervisor' }).click();
    const graceChats = page.getByRole('list', { name: 'Open chats of Grace' });
    await graceChats.getByText('chat-77', { exact: true }).waitFor();
    await page.getByLabel('Move chat-77 to').selectOption({ label: 'Ada' });
    await page.getByRole('button', { name: 'Move chat-77' }).click();
    await page.getByText('chat-77 moved to Ada.').waitFor();
    await page.getByRole('list', { name: 'Open chats of Ada' }).getByText('chat-77', { exact: true }).waitFor();
    ok(await service.operator.DELETE('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { chatbotId: team.chatbotId, conversationId: 'chat-77' } } }));
    await graceBrowser.context.close();
    await context.close();
  });

  it('My chats: a chat assigned to the agent is announced at once on any view (a notice) and listed with how long it has been theirs; a release takes it away', async () => {
    const [ada] = team.agents as [Team['agents'][number]];
    const { page, context } = await signIn(ada.id);
    await setMyStatus(ada.api, team.chatbotId, 'available');
    const path = { chatbotId: team.chatbotId };
    ok(
      await service.operator.POST('/v1/inbox/{chatbotId}/assignments', {
        params: { path },
        body: { conversationId: 'chat-mine-1', preferredAgentId: ada.id, title: 'Refund please', preview: 'Hello,\nI was charged twice' },
      }),
    );
    // Told on the view the agent is on (My status), and the notice opens My chats.
    const notice = page.getByRole('alert').filter({ hasText: 'New chat: Refund please' });
    await notice.waitFor();
    await notice.getByRole('link').click();
    const list = page.getByRole('list', { name: 'My open chats' });
    const item = list.getByRole('listitem').filter({ hasText: 'Refund please' });
    await item.getByText('Yours for 1 min').waitFor();
    await item.getByText('I was charged twice').waitFor();
    assert.equal(await notice.isVisible(), false, 'opening My chats puts the notice away');
    ok(await service.operator.DELETE('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { ...path, conversationId: 'chat-mine-1' } } }));
    await page.getByText('You have no open chats.').waitFor();
    await context.close();
  });

  /** Offers on for the team's chatbot while `run` runs (the other tests assign directly). */
  async function withOffers(run: () => Promise<void>): Promise<void> {
    const path = { chatbotId: team.chatbotId };
    ok(await service.operator.PATCH('/v1/chatbots/{chatbotId}', { params: { path }, body: { offerTimeoutSeconds: 120 } }));
    try {
      await run();
    } finally {
      ok(await service.operator.PATCH('/v1/chatbots/{chatbotId}', { params: { path }, body: { offerTimeoutSeconds: null } }));
    }
  }
  const chatState = async (conversationId: string) =>
    ok(await service.operator.GET('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { chatbotId: team.chatbotId, conversationId } } }));

  it('an offer shows on any view with its countdown, Accept and Decline: accepting puts it in My chats, declining passes it on', async () => {
    const [ada] = team.agents as [Team['agents'][number]];
    const { page, context } = await signIn(ada.id);
    await setMyStatus(ada.api, team.chatbotId, 'available');
    const path = { chatbotId: team.chatbotId };
    await withOffers(async () => {
      ok(
        await service.operator.POST('/v1/inbox/{chatbotId}/assignments', {
          params: { path },
          body: { conversationId: 'offer-page-1', preferredAgentId: ada.id, title: 'Refund please', preview: 'I was charged twice' },
        }),
      );
      const offers = page.getByRole('list', { name: 'Chats offered to you' });
      const offer = offers.getByRole('listitem').filter({ hasText: 'Chat offered to you: Refund please' });
      await offer.waitFor();
      await offer
        .getByRole('timer')
        .filter({ hasText: /^[12]:\d\d left to accept$/ })
        .waitFor();
      await offer.getByText('I was charged twice').waitFor();
      await offer.getByRole('button', { name: 'Accept' }).click();
      await offer.waitFor({ state: 'detached' });
      assert.equal((await chatState('offer-page-1')).state, 'assigned');
      await page.getByRole('link', { name: 'My chats' }).click();
      await page.getByRole('list', { name: 'My open chats' }).getByRole('listitem').filter({ hasText: 'Refund please' }).waitFor();
      // A second offer, declined: it goes to another agent or waits, never back to Ada.
      ok(await service.operator.POST('/v1/inbox/{chatbotId}/assignments', { params: { path }, body: { conversationId: 'offer-page-2', preferredAgentId: ada.id } }));
      const second = offers.getByRole('listitem').filter({ hasText: 'offer-page-2' });
      await second.getByRole('button', { name: 'Decline' }).click();
      await second.waitFor({ state: 'detached' });
      const passed = await chatState('offer-page-2');
      assert.ok(['offered', 'waiting'].includes(passed.state), passed.state);
      assert.notEqual(passed.agentId, ada.id);
      assert.equal(await page.getByRole('list', { name: 'My open chats' }).getByRole('listitem').filter({ hasText: 'offer-page-2' }).count(), 0);
    });
    for (const conversationId of ['offer-page-1', 'offer-page-2'])
      ok(await service.operator.DELETE('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { ...path, conversationId } } }));
    assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
    await context.close();
  });

  it('an offer’s push shows Accept and Decline, and Accept in the notification accepts it through the service worker (no key)', async () => {
    const [ada] = team.agents as [Team['agents'][number]];
    const subscription = push.subscribe();
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    await context.grantPermissions(['notifications'], { origin: service.url });
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    await context.addInitScript({ content: pushManagerAnswering(subscription.json) });
    const page = await context.newPage();
    await page.goto(await loginLink(ada.id));
    await page.getByRole('button', { name: /^Status/ }).waitFor();
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('button', { name: 'Enable browser notifications' }).click();
    await page.getByText('Browser notifications are on.').waitFor();
    // The console stays open here: pushes reach Ada only if she asks for them while it is open.
    await page.getByLabel('Push even while the console is open').check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Saved.').waitFor();
    await setMyStatus(ada.api, team.chatbotId, 'available');
    const path = { chatbotId: team.chatbotId };
    try {
      await withOffers(async () => {
        const before = push.delivered(subscription.id).length;
        ok(
          await service.operator.POST('/v1/inbox/{chatbotId}/assignments', {
            params: { path },
            body: { conversationId: 'offer-push-1', preferredAgentId: ada.id, title: 'Shipping', preview: 'Do you ship to Norway?' },
          }),
        );
        for (let tries = 0; tries < 300 && push.delivered(subscription.id).length <= before; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
        const received = push.delivered(subscription.id).at(-1)!;
        assert.ok(received, 'the offer was pushed to the browser');
        assert.equal(received.payload.title, 'Chat offered to you: Shipping');
        const shown = await deliverPushAndWait(context, page, `${service.url}/app/`, received.payload);
        assert.deepEqual(
          shown.map((notification) => notification.title),
          ['Chat offered to you: Shipping'],
        );
        const actions = await page.evaluate(async (scope) => {
          const registration = await navigator.serviceWorker.getRegistration(scope);
          return (await registration!.getNotifications()).map((notification) =>
            (notification as Notification & { actions: Array<{ action: string; title: string }> }).actions.map(({ action, title }) => ({ action, title })),
          );
        }, `${service.url}/app/`);
        assert.deepEqual(actions, [
          [
            { action: 'accept', title: 'Accept' },
            { action: 'decline', title: 'Decline' },
          ],
        ]);
        // The agent clicks Accept on the notification: the browser hands the worker a click with
        // the action (the operating system's button cannot be clicked from a test, so the worker
        // is given the same event for the notification it shows).
        const [worker] = context.serviceWorkers();
        assert.ok(worker, 'the console has its service worker');
        await worker.evaluate(async () => {
          // Runs in the worker, whose globals the page's types do not describe.
          const scope = self as unknown as { registration: { getNotifications(): Promise<unknown[]> }; dispatchEvent(event: Event): boolean };
          const NotificationClick = (globalThis as unknown as { NotificationEvent: new (type: string, init: object) => Event }).NotificationEvent;
          const [notification] = await scope.registration.getNotifications();
          const click = new NotificationClick('notificationclick', { notification, action: 'accept' });
          try {
            scope.dispatchEvent(click);
          } catch {
            // waitUntil refuses an event a script made; the worker's answer is already on its way.
          }
        });
        for (let tries = 0; tries < 200 && (await chatState('offer-push-1')).state !== 'assigned'; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
        const chat = await chatState('offer-push-1');
        assert.deepEqual([chat.state, chat.agentId], ['assigned', ada.id]);
        // The console's own panel follows the stream: the offer is gone from it.
        await page.getByRole('list', { name: 'Chats offered to you' }).getByRole('listitem').filter({ hasText: 'Shipping' }).waitFor({ state: 'detached' });
      });
      ok(await service.operator.DELETE('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { ...path, conversationId: 'offer-push-1' } } }));
    } finally {
      // Ada's device goes, whatever happened: the tests after this one expect her to have none.
      await page.getByRole('button', { name: /^Remove device/ }).click();
      await page.getByText('No devices yet.').waitFor();
      await context.close();
    }
  });

  it('the supervisor watches the waiting queue live: how many wait and why, a cancel one click away, and the queue empties when an agent comes', async () => {
    const [ada, grace] = team.agents as [Team['agents'][number], Team['agents'][number]];
    const path = { chatbotId: team.chatbotId };
    // Grace speaks Spanish: the wallboard says so on her line.
    ok(await service.operator.PUT('/v1/chatbots/{chatbotId}/members/{agentId}/skills', { params: { path: { ...path, agentId: grace.id } }, body: { skills: ['es'] } }));
    const { page, context } = await signIn(ada.id);
    await setMyStatus(ada.api, team.chatbotId, 'away');
    await setMyStatus(grace.api, team.chatbotId, 'offline');
    await page.getByRole('link', { name: 'Supervisor' }).click();
    await page.getByText('No chat is waiting.').waitFor();
    await page
      .getByRole('list', { name: 'Team availability' })
      .getByText(/^Grace: .* · skills: es$/)
      .waitFor();
    for (const [conversationId, priority, title] of [
      ['queue-1', 0, 'Delivery'],
      ['queue-2', 5, 'Refund'],
    ] as const) {
      const waiting = await service.operator.POST('/v1/inbox/{chatbotId}/assignments', { params: { path }, body: { conversationId, wait: true, priority, title } });
      assert.equal(waiting.response.status, 202);
    }
    await page.getByText(/^2 chats waiting, the longest for 1 min; priority 5: 1, priority 0: 1$/).waitFor();
    const queue = page.getByRole('list', { name: 'Waiting chats, next first' });
    // The higher priority first, with why it waits.
    await queue
      .getByRole('listitem')
      .first()
      .getByText(/^Refund \(priority 5\), waiting 1 min, nobody is working: .*not available/)
      .waitFor();
    await page.getByRole('button', { name: 'Cancel Refund' }).click();
    await page.getByText('queue-2 was cancelled.').waitFor();
    await page.getByText(/^1 chat waiting/).waitFor();
    // A chat that needs a skill says which, and why it waits.
    const spanish = await service.operator.POST('/v1/inbox/{chatbotId}/assignments', {
      params: { path },
      body: { conversationId: 'queue-3', wait: true, title: 'Spanish', requiredSkills: ['es'] },
    });
    assert.equal(spanish.response.status, 202);
    await queue.getByText(/^Spanish, needs es, waiting (less than a minute|\d+ min), nobody is working: .*missing skill/).waitFor();
    await page.getByRole('button', { name: 'Cancel Spanish' }).click();
    await page.getByText('queue-3 was cancelled.').waitFor();
    await page.getByText(/^1 chat waiting/).waitFor();
    ok(await service.operator.PUT('/v1/chatbots/{chatbotId}/members/{agentId}/skills', { params: { path: { ...path, agentId: grace.id } }, body: { skills: [] } }));
    // Ada comes back: the queue drains into her in that unit, and the wallboard follows.
    await setMyStatus(ada.api, team.chatbotId, 'available');
    await page.getByText('No chat is waiting.').waitFor({ timeout: 2000 });
    await page.getByRole('list', { name: 'Open chats of Ada' }).getByText('queue-1', { exact: true }).waitFor();
    ok(await service.operator.DELETE('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { ...path, conversationId: 'queue-1' } } }));
    // The reports count them: today, priority 5 cancelled, priority 0 assigned; as a table and a CSV.
    await page.getByRole('link', { name: 'Reports' }).first().click();
    const waits = page.getByRole('table', { name: /Waiting for an agent/ });
    const today = await page.evaluate(() => {
      const now = new Date();
      return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    });
    const high = waits.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `${today}, priority 5`, exact: true }) });
    await high.waitFor();
    assert.deepEqual(await high.getByRole('cell').allTextContents(), ['1', '0', '1', '0', '0', '–', '–'], 'one chat, cancelled');
    assert.ok(((await page.getByRole('img', { name: 'How long chats waited, per day and priority' }).boundingBox())?.height ?? 0) > 100, 'the chart is drawn');
    const csv = await downloaded(page, 'Download waiting CSV');
    assert.match(csv, /^period,priority,chats,assigned,cancelled,expired,waiting,waitP50Seconds,waitP90Seconds\r\n/);
    assert.ok(csv.includes(`${today},5,1,0,1,0,0,,`), csv);
    await context.close();
  });

  it('the supervisor is told when an agent is gone from its chats (the shortest reassignAfterSeconds, 10 s), and sees where they moved', async () => {
    const [ada, grace] = team.agents as [Team['agents'][number], Team['agents'][number]];
    const chatbot = { params: { path: { chatbotId: team.chatbotId } } };
    ok(await service.operator.PATCH('/v1/chatbots/{chatbotId}', { ...chatbot, body: { reassignAfterSeconds: 10, autoReassign: true } }));
    const { page, context } = await signIn(ada.id);
    try {
      await setMyStatus(ada.api, team.chatbotId, 'available');
      await setMyStatus(grace.api, team.chatbotId, 'available');
      const assigned = ok(await service.operator.POST('/v1/inbox/{chatbotId}/assignments', { ...chatbot, body: { conversationId: 'chat-88', preferredAgentId: grace.id } }));
      assert.equal(assigned.agentId, grace.id);
      await page.getByRole('link', { name: 'Supervisor' }).click();
      await page.getByRole('list', { name: 'Open chats of Grace' }).getByText('chat-88', { exact: true }).waitFor();
      await setMyStatus(grace.api, team.chatbotId, 'offline');
      // 10 s gone, then the next sweep (every 5 s).
      await page.getByText('Grace is gone from 1 open chat. Moved chat-88 to Ada.').waitFor({ timeout: 30_000 });
      await page.getByRole('list', { name: 'Open chats of Ada' }).getByText('chat-88', { exact: true }).waitFor();
    } finally {
      await service.operator.DELETE('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { chatbotId: team.chatbotId, conversationId: 'chat-88' } } });
      ok(await service.operator.PATCH('/v1/chatbots/{chatbotId}', { ...chatbot, body: { reassignAfterSeconds: 120, autoReassign: false } }));
      await context.close();
    }
  });

  it('notifications say what happened: no device yet, and a browser that refuses', async () => {
    const ada = team.agents[0]!;
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    const page = await context.newPage();
    await page.goto(await loginLink(ada.id));
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('list', { name: 'My devices' }).getByText('No devices yet.').waitFor();
    await page.getByRole('button', { name: 'Send me a test notification' }).click();
    await page.getByText('No device yet: nothing was sent.', { exact: false }).waitFor();
    // This browser was not given the permission: it refuses, and the console says what to do.
    await context.clearPermissions();
    await page.getByRole('button', { name: 'Enable browser notifications' }).click();
    await page.getByText('This browser blocks notifications from this site.', { exact: false }).waitFor();
    await context.close();
  });

  it("notifications: when the browser's push service cannot be reached, the console says so and what to check", async () => {
    const ada = team.agents[0]!;
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    await context.grantPermissions(['notifications'], { origin: service.url });
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    // No stand-in here: this Chromium's own push service is out of reach, as behind a firewall.
    const page = await context.newPage();
    await page.goto(await loginLink(ada.id));
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('button', { name: 'Enable browser notifications' }).click();
    await page.getByText("The browser's push service could not be reached, so notifications are not on.", { exact: false }).waitFor({ timeout: 30_000 });
    await page.getByText('check the network, a firewall or a VPN', { exact: false }).waitFor();
    await context.close();
  });

  it('a page that loaded while the service was stopping recovers by itself once it is back', async () => {
    const ada = team.agents[0]!;
    const { page, context } = await signIn(ada.id);
    // The next load's first question to the service is held until the service has stopped.
    let held = false;
    await page.route('**/v1/inbox/*/agents/me', async (route) => {
      if (!held) {
        held = true;
        await service.server.stop();
      }
      await route.continue().catch(() => undefined);
    });
    await page.reload();
    await page.getByText('The service cannot be reached right now. Trying again in', { exact: false }).waitFor({ timeout: 15_000 });
    await service.restart();
    await page.getByRole('button', { name: /^Status/ }).waitFor({ timeout: 40_000 });
    await page.unroute('**/v1/inbox/*/agents/me');
    await context.close();
  });

  it('every view, light and dark, at 1280 and 390 px wide, is saved as a screenshot, with no error on the page and nothing wider than the screen', async () => {
    const ada = team.agents[0]!;
    for (const scheme of ['light', 'dark'] as const) {
      const { page } = await signIn(ada.id, { colorScheme: scheme });
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        for (const [view, ready] of [
          ['status', 'Working hours'],
          ['chats', 'Yours for|You have no open chats'],
          ['team', 'Invite a colleague'],
          ['notifications', 'My devices'],
          ['supervisor', 'Supervisor'],
          ['reports', 'Download CSV'],
        ] as const) {
          await page.goto(`${service.url}/app/#/${view}`);
          await (ready.includes('|') ? page.getByText(new RegExp(ready)) : page.getByText(ready, { exact: true })).first().waitFor();
          // The team's admin part is drawn once the members and invitations are read.
          if (view === 'team') {
            await page.getByLabel('Role of Ada').waitFor();
            // Each member's dot sits beside its name, not alone on a line above it.
            const beside = await page.evaluate(() =>
              [...document.querySelectorAll('.team li')].every((item) => {
                const dot = item.querySelector('.dot')?.getBoundingClientRect();
                const line = item.querySelector('.line')?.getBoundingClientRect();
                return dot && line && dot.top >= line.top - 4 && dot.bottom <= line.bottom + 4;
              }),
            );
            assert.ok(beside, `at ${width} px every member's dot is beside its name`);
          }
          if (view === 'reports') await page.getByRole('table').getByRole('rowheader').first().waitFor();
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${view} at ${width} px runs ${overflow} px off the screen`);
          await page.screenshot({ path: join(SCREENSHOTS, `${view}-${scheme}-${width}.png`), fullPage: true });
        }
      }
      assert.deepEqual((page as Page & { errors?: string[] }).errors, [], 'no error in the page');
      await page.context().close();
    }
  });
});

describe('the agent console at default settings, in Chromium', { skip }, () => {
  let service: Service;
  let browser: Browser;

  before(async () => {
    assert.ok(hasChromium, `Chromium is required in CI (${CHROMIUM})`);
    // The TTL (150 s) and grace (20 s) agents run with.
    service = await startService();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  async function signIn(team: Team, agentId: string): Promise<{ page: Page; context: BrowserContext }> {
    const link = ok(await service.operator.POST('/v1/inbox/{chatbotId}/agents/{agentId}/login-links', { params: { path: { chatbotId: team.chatbotId, agentId } } }));
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    const page = await context.newPage();
    await page.goto(link.url);
    await page.getByRole('button', { name: /^Status/ }).waitFor();
    return { page, context };
  }

  it("a closed tab that chose its status and was typed in shows offline in the other agent's console within the grace + 2 s, not at the TTL", async () => {
    const team = await provisionTeam(service, ['Ada', 'Grace']);
    const [ada, grace] = team.agents as [Team['agents'][number], Team['agents'][number]];
    const adaBrowser = await signIn(team, ada.id);
    const graceBrowser = await signIn(team, grace.id);
    try {
      await graceBrowser.page.getByRole('link', { name: 'My team' }).click();
      const adaItem = graceBrowser.page.getByRole('list', { name: 'Team' }).getByRole('listitem').filter({ hasText: 'Ada:' });
      await adaItem.waitFor();
      // Ada works in her console: she chooses her status and types, which her console posts.
      await adaBrowser.page.getByLabel('Status text').fill('Back from lunch');
      await adaBrowser.page.getByRole('button', { name: /^Status/ }).click();
      await adaBrowser.page.getByRole('menuitem', { name: 'Available' }).click();
      await adaItem.filter({ hasText: 'Ada: Available' }).waitFor({ timeout: 5000 });
      const posted = (): Promise<number> =>
        service.operator
          .GET('/v1/inbox/{chatbotId}/agents/online', { params: { path: { chatbotId: team.chatbotId } } })
          .then((answer) => ok(answer).agents.find((agent) => agent.agentId === ada.id)!.devices);
      assert.equal(await posted(), 1, 'her browser is one device');

      await adaBrowser.page.close();
      const closedAt = Date.now();
      await adaItem.filter({ hasText: 'Ada: Offline' }).waitFor({ timeout: 30_000 });
      const after = Date.now() - closedAt;
      assert.ok(after >= 19_500 && after <= 22_000, `offline in Grace's console ${after} ms after Ada's tab closed (grace 20,000 ms)`);
    } finally {
      await graceBrowser.context.close();
      await adaBrowser.context.close();
    }
  });
});
