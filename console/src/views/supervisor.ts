import { ok, untilIn, untilTomorrow, type AgentEntry, type StatusChoice } from '@inbox-agents/sdk';
import { fill, h } from '../dom.js';
import { chosenStatusOf, offerCountdown, orphanedNote, queuedLine, queueSummary, STATUS_CHOICES, timeOfDay, wallboardLine, type QueuedChatView } from '../format.js';
import type { ConsoleContext, View } from '../main.js';
import { showHistory } from '../panels.js';

/**
 * Supervisor (admins): the team's availability with reasons; overriding an agent's status (it
 * starts from the status the agent has, with a text and an end); each agent's history and open
 * chats (assignments), which a supervisor can move, and a note when an agent is gone from its
 * chats; the waiting queue (how many wait, by priority, the longest wait, the oldest chats and
 * why they wait, each cancelled with one click), read again within a second of a change; the
 * offers pending (to whom, and the time left to accept); the way to the reports.
 */
export function mount(container: HTMLElement, context: ConsoleContext): View {
  const { client, chatbotId } = context;
  const list = h('ul', { class: 'team', 'aria-label': 'Team availability' });
  const note = h('p', { role: 'status', class: 'note' });
  const history = h('div', { class: 'history-panel' });
  const queueLine = h('p', { class: 'queue-summary', 'aria-live': 'polite' }, 'Reading the queue…');
  const queueList = h('ol', { class: 'queue', 'aria-label': 'Waiting chats, next first' });
  const offersLine = h('p', { class: 'queue-summary', 'aria-live': 'polite' }, 'No offers pending.');
  const offersList = h('ul', { class: 'queue', 'aria-label': 'Offers pending' });
  fill(
    container,
    h('h1', { id: 'supervisor-title' }, 'Supervisor'),
    h('p', {}, h('a', { href: '#/reports' }, 'Reports')),
    note,
    h('h2', {}, 'Waiting chats'),
    queueLine,
    queueList,
    h('h2', {}, 'Offers pending'),
    offersLine,
    offersList,
    h('h2', {}, 'Team'),
    list,
    history,
  );

  // The queue: its first page (the next 50), read again at most once a second after a change.
  let queue: QueuedChatView[] = [];
  let more = false;
  let queueTimer: ReturnType<typeof setTimeout> | null = null;
  const drawQueue = () => {
    const now = Date.now();
    queueLine.textContent = queueSummary(queue, now, more);
    fill(
      queueList,
      ...queue
        .slice(0, 10)
        .map((chat) =>
          h(
            'li',
            { class: 'queued' },
            h('span', {}, queuedLine(chat, now)),
            h('button', { type: 'button', onclick: () => void cancel(chat.conversationId) }, `Cancel ${chat.title ?? chat.conversationId}`),
          ),
        ),
    );
  };
  const readQueue = async () => {
    const page = ok(await client.GET('/v1/inbox/{chatbotId}/queue', { params: { path: { chatbotId }, query: { limit: '50' } } }));
    queue = page.items;
    more = page.nextCursor !== null;
    drawQueue();
  };
  const queueChanged = () => {
    if (queueTimer !== null) return;
    queueTimer = setTimeout(() => {
      queueTimer = null;
      void readQueue().catch(() => undefined);
    }, 200);
  };
  const cancel = async (conversationId: string) => {
    try {
      ok(await client.DELETE('/v1/inbox/{chatbotId}/assignments/{conversationId}', { params: { path: { chatbotId, conversationId } } }));
      note.textContent = `${conversationId} was cancelled.`;
    } catch (error) {
      note.textContent = `${conversationId} was not cancelled: ${error instanceof Error ? error.message : String(error)}`;
    }
    queueChanged();
  };
  void readQueue().catch((error: unknown) => {
    queueLine.textContent = `The queue cannot be read now: ${error instanceof Error ? error.message : String(error)}`;
  });

  const override = async (agent: AgentEntry, status: StatusChoice, text: string, end: HTMLSelectElement) => {
    // 'keep': the end the agent's status has now (its option carries it).
    const kept = end.selectedOptions[0]?.dataset.until;
    const until = end.value === '' ? null : end.value === 'keep' && kept ? new Date(kept) : end.value === 'tomorrow' ? untilTomorrow() : untilIn(Number(end.value));
    try {
      ok(
        await client.POST('/v1/inbox/{chatbotId}/agents/{agentId}/status', {
          params: { path: { chatbotId, agentId: agent.agentId } },
          body: status === 'offline' ? { status } : { status, text: text.trim() || null, until: until?.toISOString() ?? null },
        }),
      );
      note.textContent = `${agent.name} is set to ${STATUS_CHOICES.find(([choice]) => choice === status)![1]}.`;
      const item = list.querySelector<HTMLLIElement>(`li[data-agent="${CSS.escape(agent.agentId)}"]`);
      if (item) delete item.dataset.editing;
    } catch (error) {
      note.textContent = `Not changed: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  const names = () => new Map([...context.agents().values()].map((agent) => [agent.agentId, agent.name]));

  // Each member's skills (the members, read with the chats): shown on its line.
  let skills = new Map<string, string[]>();
  const readSkills = async () => {
    const page = ok(await client.GET('/v1/chatbots/{chatbotId}/members', { params: { path: { chatbotId }, query: { limit: '200' } } }));
    skills = new Map(page.items.map((member) => [member.agentId, member.skills]));
  };

  // Open chats per agent, read again at most every 5 s as the team changes, and after a move.
  let chats = new Map<string, string[]>();
  // Chats offered and not yet answered (the chatbot asks its agents to accept), soonest to lapse first.
  let offers: Array<{ conversationId: string; title: string | null; agentName: string; expiresAt: string }> = [];
  let offerTicker: ReturnType<typeof setInterval> | null = null;
  // Offer events come in bursts (a storm of lapses): the chats are read again at most every 300 ms.
  let offerTimer: ReturnType<typeof setTimeout> | null = null;
  const drawOffers = () => {
    const now = Date.now();
    offersLine.textContent = offers.length === 0 ? 'No offers pending.' : `${offers.length} ${offers.length === 1 ? 'offer' : 'offers'} pending.`;
    fill(offersList, ...offers.map((offer) => h('li', {}, `${offer.title ?? offer.conversationId}: offered to ${offer.agentName}, ${offerCountdown(offer.expiresAt, now)} left`)));
    if (offers.length > 0 && !offerTicker) offerTicker = setInterval(drawOffers, 1000);
    if (offers.length === 0 && offerTicker) {
      clearInterval(offerTicker);
      offerTicker = null;
    }
  };
  let chatsReadAt = 0;
  const readChats = async () => {
    chatsReadAt = Date.now();
    await readSkills().catch(() => undefined);
    const page = ok(await client.GET('/v1/inbox/{chatbotId}/assignments', { params: { path: { chatbotId }, query: { limit: '200' } } }));
    chats = new Map();
    for (const item of page.items) chats.set(item.agentId, [...(chats.get(item.agentId) ?? []), item.conversationId]);
    offers = page.items
      .filter((item) => item.offerExpiresAt !== null)
      .map((item) => ({ conversationId: item.conversationId, title: item.title, agentName: item.agentName, expiresAt: item.offerExpiresAt! }))
      .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
    drawOffers();
    drawChats();
    drawLines();
  };
  /** Each agent's line: its state, how long it has held, its load and skills. */
  const drawLines = () => {
    const now = Date.now();
    for (const agent of context.agents().values()) {
      const line = list.querySelector<HTMLLIElement>(`li[data-agent="${CSS.escape(agent.agentId)}"] .line`);
      if (line) line.textContent = wallboardLine(agent, now, undefined, skills.get(agent.agentId));
    }
  };
  const move = async (conversationId: string, to: string) => {
    try {
      const moved = ok(
        await client.POST('/v1/inbox/{chatbotId}/assignments/{conversationId}/transfer', {
          params: { path: { chatbotId, conversationId } },
          body: to === '' ? {} : { agentId: to },
        }),
      );
      note.textContent = `${conversationId} moved to ${moved.agentName}.`;
    } catch (error) {
      note.textContent = `${conversationId} was not moved: ${error instanceof Error ? error.message : String(error)}`;
    }
    await readChats().catch(() => undefined);
  };
  /** Each agent's open chats under its line: the conversation, where to move it, and a Move button. */
  const drawChats = () => {
    const everyone = [...context.agents().values()];
    for (const item of list.querySelectorAll<HTMLLIElement>('li[data-agent]')) {
      const agentId = item.dataset.agent!;
      const name = everyone.find((agent) => agent.agentId === agentId)?.name ?? agentId;
      const open = chats.get(agentId) ?? [];
      const box = item.querySelector<HTMLUListElement>('ul.chats');
      if (open.length === 0) {
        box?.remove();
        continue;
      }
      if (box?.dataset.chats === open.join('\n')) continue;
      const fresh = h(
        'ul',
        { class: 'chats', 'aria-label': `Open chats of ${name}`, 'data-chats': open.join('\n') },
        ...open.map((conversationId) => {
          const target = h(
            'select',
            { 'aria-label': `Move ${conversationId} to` },
            h('option', { value: '' }, 'The next available agent'),
            ...everyone.filter((agent) => agent.agentId !== agentId).map((agent) => h('option', { value: agent.agentId }, agent.name)),
          );
          return h(
            'li',
            {},
            h('span', {}, conversationId),
            target,
            h('button', { type: 'button', onclick: () => void move(conversationId, target.value) }, `Move ${conversationId}`),
          );
        }),
      );
      if (box) box.replaceWith(fresh);
      else item.append(fresh);
    }
  };

  const update = () => {
    const now = Date.now();
    // Only the lines are redrawn, so a supervisor's open selector is not reset by a team update.
    const seen = new Set<string>();
    for (const agent of context.agents().values()) {
      seen.add(agent.agentId);
      let item = list.querySelector<HTMLLIElement>(`li[data-agent="${CSS.escape(agent.agentId)}"]`);
      if (!item) {
        const select = h(
          'select',
          { 'aria-label': `New status for ${agent.name}`, class: 'choice' },
          ...STATUS_CHOICES.map(([choice, label]) => h('option', { value: choice }, label)),
        );
        const text = h('input', { 'aria-label': `Status text for ${agent.name}`, class: 'text', maxlength: 100, placeholder: 'Status text', autocomplete: 'off' });
        const end = h(
          'select',
          { 'aria-label': `Ends for ${agent.name}`, class: 'end' },
          h('option', { value: '' }, 'No end'),
          h('option', { value: '30' }, 'For 30 min'),
          h('option', { value: '60' }, 'For 1 h'),
          h('option', { value: 'tomorrow' }, 'Until tomorrow'),
        );
        item = h(
          'li',
          { 'data-agent': agent.agentId },
          h('span', { class: 'line' }),
          h(
            'span',
            { class: 'override' },
            select,
            text,
            end,
            h('button', { type: 'button', onclick: () => void override(agent, select.value as StatusChoice, text.value, end) }, `Set ${agent.name}'s status`),
            h('button', { type: 'button', onclick: () => void showHistory(history, client, chatbotId, agent, names()) }, `History of ${agent.name}`),
          ),
        );
        // Once the supervisor edits the row, it is theirs until they set it.
        const mine = () => (item!.dataset.editing = 'true');
        for (const control of [select, text, end]) {
          control.addEventListener('input', mine);
          control.addEventListener('change', mine);
        }
        list.append(item);
      }
      item.dataset.state = agent.state;
      item.querySelector('.line')!.textContent = wallboardLine(agent, now, undefined, skills.get(agent.agentId));
      // The override starts from what the agent has, unless the supervisor is editing it.
      if (item.dataset.editing !== 'true') {
        item.querySelector<HTMLSelectElement>('select.choice')!.value = chosenStatusOf(agent) ?? agent.state;
        item.querySelector<HTMLInputElement>('input.text')!.value = agent.statusText ?? '';
        // A status that ends shows its end, not "No end".
        const end = item.querySelector<HTMLSelectElement>('select.end')!;
        let keep = end.querySelector<HTMLOptionElement>('option[value="keep"]');
        if (agent.statusUntil) {
          if (!keep) end.prepend((keep = h('option', { value: 'keep' })));
          keep.textContent = `Until ${timeOfDay(agent.statusUntil)}, as now`;
          keep.dataset.until = agent.statusUntil;
          end.value = 'keep';
        } else {
          keep?.remove();
          end.value = '';
        }
      }
    }
    for (const item of list.querySelectorAll<HTMLLIElement>('li[data-agent]')) if (!seen.has(item.dataset.agent!)) item.remove();
    if (Date.now() - chatsReadAt > 5000) void readChats().catch(() => undefined);
    else drawChats();
    drawQueue();
  };
  update();
  return {
    update,
    // An agent gone from its chats: say so, and show where they are now.
    orphaned: (event) => {
      note.textContent = orphanedNote(event, names());
      void readChats().catch(() => undefined);
    },
    // A chat in or out of the queue, or assigned from it: the queue and the chats are read again.
    queue: queueChanged,
    assignment: () => {
      queueChanged();
      void readChats().catch(() => undefined);
    },
    // An offer made, answered or lapsed: the offers pending and the chats are read again.
    offer: () => {
      if (offerTimer !== null) return;
      offerTimer = setTimeout(() => {
        offerTimer = null;
        void readChats().catch(() => undefined);
      }, 300);
    },
  };
}
