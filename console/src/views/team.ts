import { fill, h } from '../dom.js';
import { teamLine } from '../format.js';
import type { ConsoleContext, View } from '../main.js';

/** My team: every agent of the chatbot, live, a list item each reading the name and state. */
export function mount(container: HTMLElement, context: ConsoleContext): View {
  const list = h('ul', { class: 'team', 'aria-label': 'Team' });
  fill(container, h('h1', { id: 'team-title' }, 'My team'), list);
  const update = () => {
    const now = Date.now();
    fill(
      list,
      ...[...context.agents().values()].map((agent) =>
        h('li', { 'data-agent': agent.agentId, 'data-state': agent.state }, h('span', { class: `dot ${agent.state}`, 'aria-hidden': 'true' }), teamLine(agent, now)),
      ),
    );
  };
  update();
  return { update };
}
