import { disablePush, InboxApiError, ok, startActivityReporter, watchPresence, type AgentEntry, type ConnectionState, type InboxClient } from '@inbox-agents/sdk';
import { fill, h } from './dom.js';
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
}

export interface View {
  /** Called after every change of the team (and each 30 s, so "3 min ago" stays true). */
  update(): void;
}

type ViewModule = { mount(container: HTMLElement, context: ConsoleContext): View };

const VIEWS: Record<string, { title: string; adminOnly?: boolean; load: () => Promise<ViewModule> }> = {
  status: { title: 'My status', load: () => import('./views/status.js') },
  team: { title: 'My team', load: () => import('./views/team.js') },
  notifications: { title: 'Notifications', load: () => import('./views/notifications.js') },
  supervisor: { title: 'Supervisor', adminOnly: true, load: () => import('./views/supervisor.js') },
  reports: { title: 'Reports', adminOnly: true, load: () => import('./views/reports.js') },
};

const root = document.getElementById('app')!;

function signedOut(message: string): void {
  document.title = 'Sign in · Inbox';
  fill(root, h('main', { class: 'signed-out' }, h('h1', {}, 'Inbox agents'), h('p', { role: 'alert' }, message)));
}

async function boot(): Promise<void> {
  const login = /^#login=([^&]+)/.exec(location.hash);
  if (login) {
    try {
      await signInWithLink(decodeURIComponent(login[1]!));
    } catch (error) {
      if (error instanceof InboxApiError && error.status === 410) return signedOut('This sign-in link was already used or has expired. Ask an admin of your team for a new one.');
      return signedOut(`Signing in failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const session = storedSession();
  if (!session) return signedOut('Open the sign-in link an admin of your team made for you.');
  const client = api(session.key);
  let me: Me;
  try {
    me = await whoAmI(client, session.chatbotId);
  } catch (error) {
    if (error instanceof InboxApiError && error.status === 401) {
      forget();
      return signedOut('You were signed out. Open a new sign-in link to sign in again.');
    }
    return signedOut(`The service could not be reached: ${error instanceof Error ? error.message : String(error)}. Reload to try again.`);
  }
  start(session, client, me);
}

function start(session: Session, client: InboxClient, me: Me): void {
  const chatbotId = chosenChatbot(session, me);
  const isAdmin = me.chatbots.find((chatbot) => chatbot.chatbotId === chatbotId)?.role === 'admin';
  let agents: ReadonlyMap<string, AgentEntry> = new Map();
  const context: ConsoleContext = { client, session, me, chatbotId, isAdmin, agents: () => agents };

  const connection = h('p', { role: 'status', class: 'connection' });
  const main = h('main', { id: 'main', tabindex: '-1' });
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
  fill(root, h('header', {}, h('span', { class: 'brand' }, 'Inbox'), switcher, nav, h('span', { class: 'who' }, me.name), signOut), connection, main);

  const describeConnection = (state: ConnectionState) => {
    connection.textContent = state === 'reconnecting' ? 'Reconnecting…' : state === 'connecting' ? 'Connecting…' : '';
    connection.classList.toggle('down', state === 'reconnecting');
  };
  // The console's stream is also the agent's sign of life: closing the last tab lists it offline after the grace.
  const stream = watchPresence({
    baseUrl: location.origin,
    chatbotId,
    apiKey: session.key,
    onChange: (next) => {
      agents = next;
      current?.update();
    },
    onState: describeConnection,
    onError: (error) => {
      // The stream stops for good only when the key itself is refused (the cause is that answer).
      if (error.cause instanceof InboxApiError) {
        forget();
        signedOut('You were signed out. Open a new sign-in link to sign in again.');
      }
    },
  });
  const reporter = startActivityReporter({ api: client, chatbotId });

  let current: View | null = null;
  let shown = '';
  const show = async () => {
    const name = /^#\/(\w+)/.exec(location.hash)?.[1] ?? 'status';
    const view = VIEWS[name] && (!VIEWS[name].adminOnly || isAdmin) ? name : 'status';
    if (view === shown) return;
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
    current = module.mount(container, context);
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

void boot();
