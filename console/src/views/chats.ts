import { ok, type AssignmentEvent } from '@inbox-agents/sdk';
import { fill, h } from '../dom.js';
import { chatLine } from '../format.js';
import type { ConsoleContext, View } from '../main.js';

type Chat = { conversationId: string; title: string | null; preview: string | null; assignedAt: string };

/**
 * My chats: the agent's open chats, each with what it is about, the visitor's first words and
 * how long it has been theirs; read again when one is assigned to, moved from or released by
 * the agent (the stream's assignment events), and the times kept true every 30 s.
 */
export function mount(container: HTMLElement, context: ConsoleContext): View {
  const { client, chatbotId } = context;
  const list = h('ul', { class: 'my-chats', 'aria-label': 'My open chats' });
  const note = h('p', { role: 'status', class: 'note' });
  let chats: Chat[] = [];

  const draw = () => {
    const now = Date.now();
    note.textContent = chats.length === 0 ? 'You have no open chats. A new one is announced here, with a sound.' : '';
    fill(
      list,
      ...chats.map((chat) => {
        const { what, held } = chatLine(chat, now);
        return h(
          'li',
          { class: 'my-chat', 'data-conversation': chat.conversationId },
          h('strong', {}, what),
          h('span', { class: 'held' }, held),
          chat.preview ? h('p', { class: 'preview' }, chat.preview) : '',
          chat.title ? h('span', { class: 'conversation' }, chat.conversationId) : '',
        );
      }),
    );
  };
  const read = async () => {
    const page = ok(await client.GET('/v1/inbox/{chatbotId}/agents/me/chats', { params: { path: { chatbotId }, query: { limit: '200' } } }));
    // Offers wait above every view for an answer: My chats lists what was accepted.
    chats = page.items.filter((chat) => chat.offerExpiresAt === null);
    draw();
  };
  void read().catch((error: unknown) => {
    note.textContent = `Your chats cannot be read now: ${error instanceof Error ? error.message : String(error)}`;
  });

  fill(container, h('h1', { id: 'chats-title' }, 'My chats'), note, list);
  return {
    update: draw,
    assignment(event: AssignmentEvent) {
      if (event.agentId === context.me.agentId || event.from === context.me.agentId || chats.some((chat) => chat.conversationId === event.conversationId))
        void read().catch(() => undefined);
    },
  };
}
