/**
 * The browser's sign-in: the key a sign-in link gave it, kept in localStorage (never in a URL),
 * and which of the agent's chatbots is shown.
 */
import { createInboxClient, ok, type InboxClient } from '@inbox-agents/sdk';

const STORAGE = 'inbox-agents.session';
const CHOSEN = 'inbox-agents.chatbot';

export interface Session {
  key: string;
  keyId: string;
  agentId: string;
  /** The chatbot the link was made for: the first one shown. */
  chatbotId: string;
}

export interface Me {
  agentId: string;
  name: string;
  chatbots: Array<{ chatbotId: string; name: string; role: 'agent' | 'admin' }>;
}

export function storedSession(): Session | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE) ?? 'null') as Session | null;
    return value && typeof value.key === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function chosenChatbot(session: Session, me: Me): string {
  const chosen = localStorage.getItem(CHOSEN);
  return me.chatbots.some((chatbot) => chatbot.chatbotId === chosen) ? chosen! : (me.chatbots[0]?.chatbotId ?? session.chatbotId);
}

export function chooseChatbot(chatbotId: string): void {
  localStorage.setItem(CHOSEN, chatbotId);
}

export function forget(): void {
  localStorage.removeItem(STORAGE);
  localStorage.removeItem(CHOSEN);
  localStorage.removeItem('inbox-agents.device');
}

/** The API at this page's origin: the console is served by the service itself. */
export function api(key?: string): InboxClient {
  return createInboxClient({ baseUrl: location.origin, apiKey: key });
}

/**
 * Exchanges a sign-in link's token for this browser's own key. The token is taken out of the
 * address bar first, so it is not left in history or shared by copying the URL.
 */
export async function signInWithLink(token: string): Promise<Session> {
  history.replaceState(null, '', location.pathname + location.search);
  const answer = ok(await api().POST('/v1/login-links/exchange', { body: { token } }));
  const session: Session = { key: answer.key, keyId: answer.keyId, agentId: answer.agentId, chatbotId: answer.chatbotId };
  localStorage.setItem(STORAGE, JSON.stringify(session));
  localStorage.setItem(CHOSEN, answer.chatbotId);
  return session;
}

export async function whoAmI(client: InboxClient, chatbotId: string): Promise<Me> {
  return ok(await client.GET('/v1/inbox/{chatbotId}/agents/me', { params: { path: { chatbotId } } }));
}
