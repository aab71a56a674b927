import { setMyStatus, type StatusChoice } from '@inbox-agents/sdk';
import { h } from './dom.js';
import { STATE_LABELS, STATUS_CHOICES } from './format.js';
import type { ConsoleContext } from './main.js';

/** What a chosen status carries besides its choice: the text and end of My status, when that view is open. */
export interface StatusDraft {
  text: string | null;
  until: Date | null;
}

/**
 * The status menu button in the header of every view (a button named "Status: …" with menu
 * items). A choice made on My status carries its text and end; from another view it is the
 * status alone (no text, no end).
 */
export function statusControl(context: ConsoleContext, draft: () => StatusDraft | null) {
  const { client, chatbotId } = context;
  const button = h('button', { type: 'button', id: 'status-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'status-menu' }, 'Status');
  const menu = h('ul', { role: 'menu', id: 'status-menu', 'aria-label': 'Status', hidden: true });
  const problem = h('p', { role: 'alert', class: 'problem status-problem' });

  const items = STATUS_CHOICES.map(([choice, label]) => {
    const item = h('button', { type: 'button', role: 'menuitem', tabindex: '-1', 'data-choice': choice }, label);
    item.addEventListener('click', () => void choose(choice));
    menu.append(h('li', { role: 'none' }, item));
    return item;
  });
  const open = (focus: number) => {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    items[(focus + items.length) % items.length]!.focus();
  };
  const close = (refocus: boolean) => {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (refocus) button.focus();
  };
  button.addEventListener('click', () => (menu.hidden ? open(0) : close(false)));
  button.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      open(event.key === 'ArrowDown' ? 0 : -1);
    }
  });
  menu.addEventListener('keydown', (event) => {
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') close(true);
    else if (event.key === 'ArrowDown') items[(index + 1) % items.length]!.focus();
    else if (event.key === 'ArrowUp') items[(index - 1 + items.length) % items.length]!.focus();
    else if (event.key === 'Home') items[0]!.focus();
    else if (event.key === 'End') items[items.length - 1]!.focus();
    else return;
    event.preventDefault();
  });
  document.addEventListener('click', (event) => {
    if (!menu.hidden && !menu.contains(event.target as Node) && event.target !== button) close(false);
  });

  /** Sets the status (with My status's text and end when that view is open); a failure is said under the header. */
  async function choose(choice: StatusChoice): Promise<void> {
    close(true);
    problem.textContent = '';
    const { text, until } = draft() ?? { text: null, until: null };
    try {
      await setMyStatus(client, chatbotId, choice, { text, until });
    } catch (error) {
      problem.textContent = `The status was not changed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  return {
    element: h('div', { class: 'status-control' }, button, menu),
    problem,
    choose,
    /** Shows the agent's state as it stands on the stream. */
    update() {
      const mine = context.agents().get(context.me.agentId);
      button.textContent = mine ? `Status: ${STATE_LABELS[mine.state]}` : 'Status';
    },
  };
}
