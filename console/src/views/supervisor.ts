import { ok, type StatusChoice } from '@inbox-agents/sdk';
import { fill, h } from '../dom.js';
import { STATUS_CHOICES, teamLine } from '../format.js';
import type { ConsoleContext, View } from '../main.js';

/** Supervisor (admins): the team's availability with reasons, overriding an agent's status, and the way to the reports. */
export function mount(container: HTMLElement, context: ConsoleContext): View {
  const { client, chatbotId } = context;
  const list = h('ul', { class: 'team', 'aria-label': 'Team availability' });
  const note = h('p', { role: 'status', class: 'note' });
  fill(container, h('h1', { id: 'supervisor-title' }, 'Supervisor'), h('p', {}, h('a', { href: '#/reports' }, 'Reports')), note, list);

  const override = async (agentId: string, name: string, status: StatusChoice) => {
    try {
      ok(await client.POST('/v1/inbox/{chatbotId}/agents/{agentId}/status', { params: { path: { chatbotId, agentId } }, body: { status } }));
      note.textContent = `${name} is set to ${STATUS_CHOICES.find(([choice]) => choice === status)![1]}.`;
    } catch (error) {
      note.textContent = `Not changed: ${error instanceof Error ? error.message : String(error)}`;
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
        const select = h('select', { 'aria-label': `New status for ${agent.name}` }, ...STATUS_CHOICES.map(([choice, label]) => h('option', { value: choice }, label)));
        item = h(
          'li',
          { 'data-agent': agent.agentId },
          h('span', { class: 'line' }),
          h(
            'span',
            { class: 'override' },
            select,
            h('button', { type: 'button', onclick: () => void override(agent.agentId, agent.name, select.value as StatusChoice) }, `Set ${agent.name}'s status`),
          ),
        );
        list.append(item);
      }
      item.dataset.state = agent.state;
      item.querySelector('.line')!.textContent = teamLine(agent, now);
    }
    for (const item of list.querySelectorAll<HTMLLIElement>('li')) if (!seen.has(item.dataset.agent!)) item.remove();
  };
  update();
  return { update };
}
