import { ok, type InboxClient } from '@inbox-agents/sdk';
import { fill, h } from './dom.js';
import { dayAndTime, reasonWords, STATE_LABELS } from './format.js';

/**
 * A link to hand over (a sign-in link, an invitation), shown this once: the address in a read-only
 * field a person can select, a Copy button, and what the link does and until when.
 */
export function linkPanel(title: string, url: string, what: string): HTMLElement {
  const field = h('input', { type: 'text', readonly: true, value: url, 'aria-label': title, class: 'link' });
  const copied = h('span', { role: 'status', class: 'note' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      copied.textContent = 'Copied.';
    } catch {
      // No clipboard (an insecure origin, or refused): the address is selected for Ctrl+C instead.
      field.select();
      copied.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  };
  return h(
    'div',
    { class: 'link-panel', role: 'group', 'aria-label': title },
    h('p', {}, h('strong', {}, title), ' ', what),
    h('div', { class: 'link-row' }, field, h('button', { type: 'button', onclick: () => void copy() }, 'Copy link')),
    copied,
  );
}

/** "Mon 7 Dec 14:30" in the browser's zone. */
const moment = (iso: string) => dayAndTime(iso);

/**
 * An agent's availability history (admins: it needs the reports permission), newest first, as a
 * table in `into`: state, why, from, to, and who set it when a supervisor did.
 */
export async function showHistory(into: HTMLElement, client: InboxClient, chatbotId: string, agent: { agentId: string; name: string }, names: ReadonlyMap<string, string>) {
  fill(into, h('p', { role: 'status' }, `Loading the history of ${agent.name}…`));
  try {
    const page = ok(await client.GET('/v1/inbox/{chatbotId}/agents/{agentId}/history', { params: { path: { chatbotId, agentId: agent.agentId }, query: { limit: '50' } } }));
    const title = `History of ${agent.name}`;
    fill(
      into,
      h('h2', { id: 'history-title' }, title),
      page.items.length === 0
        ? h('p', {}, 'No history yet.')
        : h(
            'table',
            { class: 'report history', 'aria-labelledby': 'history-title' },
            h('caption', {}, 'Newest first; times in this browser’s zone.'),
            h('thead', {}, h('tr', {}, ...['State', 'Why', 'From', 'To', 'Set by'].map((label) => h('th', { scope: 'col' }, label)))),
            h(
              'tbody',
              {},
              ...page.items.map((interval) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, STATE_LABELS[interval.state as keyof typeof STATE_LABELS] ?? interval.state),
                  h('td', {}, interval.statusText ?? reasonWords(interval.reason)),
                  h('td', {}, moment(interval.from)),
                  h('td', {}, interval.to ? moment(interval.to) : 'now'),
                  h('td', {}, interval.setBy ? (names.get(interval.setBy) ?? interval.setBy) : ''),
                ),
              ),
            ),
          ),
      h('button', { type: 'button', onclick: () => fill(into) }, 'Close history'),
    );
  } catch (error) {
    fill(into, h('p', { role: 'alert' }, `The history could not be read: ${error instanceof Error ? error.message : String(error)}`));
  }
}
