import {
  disablePush,
  InboxApiError,
  ok,
  startActivityReporter,
  watchPresence,
  type AgentEntry,
  type ConnectionState,
  type InboxClient,
  type OrphanedAssignments,
  type StatusChoice,
  type AssignmentEvent,
  type QueueEvent,
  type OfferEvent,
} from '@inbox-agents/sdk';
import { fill, h } from './dom.js';
import { newChatNotice } from './format.js';
import { offerPanel } from './offers.js';
import { statusControl, type StatusDraft } from './status-control.js';
import { api, chooseChatbot, chosenChatbot, forget, signInWithLink, storedSession, whoAmI, type Me, type Session } from './session.js';
import './style.css';

/** What every view is given: the signed-in agent, the chosen chatbot, and the live team. */
export interface ConsoleContext {
  client: InboxClient;
  session: Session;
  me: Me;
  chatbotId: string;
  isAdmin: boolean;
  agents(): ReadonlyMap<string, AgentEntry>;
  /** The header's status menu: a view may choose through it, and My status gives it its text and end. */
  status: { choose(choice: StatusChoice): Promise<void>; useDraft(draft: (() => StatusDraft) | null): void };
}

export interface View {
  /** Called after every change of the team (and each 30 s, so "3 min ago" stays true). */
  update(): void;
  /** Called when an agent's open chats are announced orphaned (the stream's `assignment.orphaned`). */
  orphaned?(event: OrphanedAssignments): void;
  /** Called with each chat assigned, moved or released (the stream's `assignment.*`). */
  assignment?(event: AssignmentEvent): void;
  /** Called with each chat put in the waiting queue, cancelled or expired there. */
  queue?(event: QueueEvent): void;
  /** Called with each step of an offer (offered, accepted, declined, missed). */
  offer?(event: OfferEvent): void;
}

type ViewModule = { mount(container: HTMLElement, context: ConsoleContext): View };

const VIEWS: Record<string, { title: string; adminOnly?: boolean; load: () => Promise<ViewModule> }> = {
  status: { title: 'My status', load: () => import('./views/status.js') },
  chats: { title: 'My chats', load: () => import('./views/chats.js') },
  team: { title: 'My team', load: () => import('./views/team.js') },
  notifications: { title: 'Notifications', load: () => import('./views/notifications.js') },
  supervisor: { title: 'Supervisor', adminOnly: true, load: () => import('./views/supervisor.js') },
  reports: { title: 'Reports', adminOnly: true, load: () => import('./views/reports.js') },
};

const root = document.getElementById('app')!;

const HOW_TO_SIGN_IN = 'To sign in, ask an admin of your team for a sign-in link (they make one in My team) and open it in this browser.';

function signedOut(message: string): void {
  document.title = 'Sign in · Inbox';
  fill(root, h('main', { class: 'signed-out' }, h('h1', {}, 'Inbox agents'), h('p', { role: 'alert' }, message), h('p', {}, HOW_TO_SIGN_IN)));
}

// A sign-in link opened in a tab where the console is already open changes only the address's
// fragment, which loads nothing: start over, so the link is exchanged as on a fresh load.
window.addEventListener('hashchange', () => {
  if (/^#login=/.test(location.hash)) location.reload();
});

/** Waits before the next try to reach the service: 1, 2, 4 … up to 30 s. */
const retryDelay = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

/** Says the service cannot be reached, and tries again by itself (the page recovers when the service is back). */
function unreachable(attempt: number, again: () => void): void {
  const delay = retryDelay(attempt);
  document.title = 'Connecting · Inbox';
  fill(
    root,
    h(
      'main',
      { class: 'signed-out' },
      h('h1', {}, 'Inbox agents'),
      h('p', { role: 'status' }, `The service cannot be reached right now. Trying again in ${Math.round(delay / 1000)} s…`),
    ),
  );
  setTimeout(again, delay);
}

async function boot(attempt = 0, pendingToken?: string): Promise<void> {
  const login = /^#login=([^&]+)/.exec(location.hash);
  // Taken out of the address bar at once (signInWithLink), so kept here while the service is out of reach.
  const token = pendingToken ?? (login ? decodeURIComponent(login[1]!) : undefined);
  if (token) {
    try {
      await signInWithLink(token);
    } catch (error) {
      if (error instanceof InboxApiError && error.status === 410)
        return signedOut('This sign-in link was already used, was revoked or has expired. Ask an admin of your team for a new one.');
      if (error instanceof InboxApiError && error.status < 500) return signedOut(`Signing in failed: ${error.message}`);
      return unreachable(attempt, () => void boot(attempt + 1, token));
    }
  }
  const session = storedSession();
  if (!session) return signedOut('You are not signed in.');
  const client = api(session.key);
  let me: Me;
  try {
    me = await whoAmI(client, session.chatbotId);
  } catch (error) {
    if (error instanceof InboxApiError && error.status === 401) {
      forget();
      return signedOut('You were signed out.');
    }
    if (error instanceof InboxApiError && error.status < 500) return signedOut(`The console cannot open: ${error.message}`);
    // The service is stopping or starting (or the network is down): say so, and try again by itself.
    return unreachable(attempt, () => void boot(attempt + 1));
  }
  start(session, client, me);
}

function start(session: Session, client: InboxClient, me: Me): void {
  const chatbotId = chosenChatbot(session, me);
  const isAdmin = me.chatbots.find((chatbot) => chatbot.chatbotId === chatbotId)?.role === 'admin';
  let agents: ReadonlyMap<string, AgentEntry> = new Map();
  let draft: (() => StatusDraft) | null = null;
  const context: ConsoleContext = {
    client,
    session,
    me,
    chatbotId,
    isAdmin,
    agents: () => agents,
    status: { choose: (choice) => control.choose(choice), useDraft: (provider) => (draft = provider) },
  };
  const control = statusControl(context, () => draft?.() ?? null);

  const connection = h('p', { role: 'status', class: 'connection' });
  // A chat that became mine: said at once on every view (with a sound), until dismissed or opened.
  const notice = h('div', { class: 'new-chat', role: 'alert', hidden: true });
  const main = h('main', { id: 'main', tabindex: '-1' });
  // Chats offered to me (the chatbot asks its agents to accept): on every view, with their countdown.
  const offers = offerPanel(context, () => (notice.dataset.sound = chime()));
  const nav = h(
    'nav',
    { 'aria-label': 'Views' },
    h(
      'ul',
      {},
      ...Object.entries(VIEWS)
        .filter(([, view]) => !view.adminOnly || isAdmin)
        .map(([name, view]) => h('li', {}, h('a', { href: `#/${name}`, 'data-view': name }, view.title))),
    ),
  );
  const switcher =
    me.chatbots.length > 1
      ? h(
          'select',
          {
            'aria-label': 'Chatbot',
            onchange: (event: Event) => {
              chooseChatbot((event.target as HTMLSelectElement).value);
              location.reload();
            },
          },
          ...me.chatbots.map((chatbot) => h('option', { value: chatbot.chatbotId, selected: chatbot.chatbotId === chatbotId }, chatbot.name)),
        )
      : h('span', { class: 'chatbot' }, me.chatbots[0]?.name ?? '');
  const signOut = h('button', { type: 'button', onclick: () => void signOutNow() }, 'Sign out');
  fill(
    root,
    h('header', {}, h('span', { class: 'brand' }, 'Inbox'), switcher, nav, control.element, h('span', { class: 'who' }, me.name), signOut),
    connection,
    notice,
    offers.element,
    control.problem,
    main,
  );

  const announceChat = (event: AssignmentEvent) => {
    const text = newChatNotice(event, me.agentId);
    if (!text) return;
    fill(
      notice,
      h('a', { href: '#/chats', onclick: () => (notice.hidden = true) }, text),
      h('button', { type: 'button', 'aria-label': 'Dismiss', onclick: () => (notice.hidden = true) }, '×'),
    );
    notice.hidden = false;
    notice.dataset.sound = chime();
  };

  const describeConnection = (state: ConnectionState) => {
    connection.textContent = state === 'reconnecting' ? 'Reconnecting…' : state === 'connecting' ? 'Connecting…' : '';
    connection.classList.toggle('down', state === 'reconnecting');
  };
  // Whether the offers open to me were read since the stream last opened.
  let offersRead = false;
  // The console's stream is also the agent's sign of life: closing the last tab lists it offline after the grace.
  const stream = watchPresence({
    baseUrl: location.origin,
    chatbotId,
    apiKey: session.key,
    onChange: (next) => {
      agents = next;
      control.update();
      current?.update();
    },
    onOrphaned: (event) => current?.orphaned?.(event),
    onAssignment: (event) => {
      announceChat(event);
      if (event.type === 'assignment.released' || event.type === 'assignment.transferred') offers.forget(event.conversationId);
      current?.assignment?.(event);
    },
    onOffer: (event) => {
      offers.offer(event);
      current?.offer?.(event);
    },
    onQueue: (event) => current?.queue?.(event),
    onState: (state) => {
      describeConnection(state);
      // Offers made while the stream was down are read again.
      if (state === 'open' && !offersRead) {
        offersRead = true;
        void offers.load().catch(() => undefined);
      }
      if (state !== 'open') offersRead = false;
    },
    onError: (error) => {
      // The stream stops for good only when the key itself is refused (the cause is that answer).
      if (error.cause instanceof InboxApiError) {
        forget();
        signedOut('You were signed out.');
      }
    },
  });
  const reporter = startActivityReporter({ api: client, chatbotId });

  let current: View | null = null;
  let shown = '';
  const show = async () => {
    const name = /^#\/(\w+)/.exec(location.hash)?.[1] ?? 'status';
    const view = VIEWS[name] && (!VIEWS[name].adminOnly || isAdmin) ? name : 'status';
    // A view for admins asked by an agent: the address says where the agent is, and why.
    const refused = VIEWS[name]?.adminOnly && !isAdmin ? VIEWS[name].title : null;
    if (refused) history.replaceState(null, '', '#/status');
    const tell = () => {
      if (!refused) return;
      main.prepend(h('p', { role: 'alert', class: 'note' }, `${refused} is for admins of this chatbot, and you are an agent here: ask an admin of your team if you need it.`));
    };
    if (view === shown) return tell();
    shown = view;
    for (const link of nav.querySelectorAll('a')) {
      if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${VIEWS[view]!.title} · Inbox`;
    const module = await VIEWS[view]!.load();
    if (shown !== view) return;
    const container = h('section', { 'aria-labelledby': `${view}-title` });
    fill(main, container);
    draft = null;
    current = module.mount(container, context);
    tell();
  };
  window.addEventListener('hashchange', () => void show());
  setInterval(() => current?.update(), 30_000);
  void show();

  async function signOutNow(): Promise<void> {
    stream.stop();
    reporter.stop();
    const deviceId = localStorage.getItem('inbox-agents.device');
    try {
      const registration = await navigator.serviceWorker?.getRegistration('/app/');
      if (deviceId && registration) await disablePush(registration, { api: client, chatbotId, deviceId });
      ok(await client.DELETE('/v1/inbox/{chatbotId}/agents/me/key', { params: { path: { chatbotId } } }));
    } catch {
      // Signing out here never depends on the service answering: the key is forgotten either way.
    }
    forget();
    signedOut('You are signed out.');
  }
}

let audio: AudioContext | null = null;
/** A short two-note chime for a new chat: 'played', or 'blocked' when the browser allows no sound yet (before any click on the page). */
function chime(): 'played' | 'blocked' {
  try {
    audio ??= new AudioContext();
    if (audio.state !== 'running') {
      void audio.resume().catch(() => undefined);
      return 'blocked';
    }
    for (const [frequency, start] of [
      [880, 0],
      [1320, 0.12],
    ] as const) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, audio.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.25);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.25);
    }
    return 'played';
  } catch {
    return 'blocked';
  }
}

void boot();
