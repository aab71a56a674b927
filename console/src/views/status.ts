import { ok, setMyStatus, untilIn, untilTomorrow, type StatusChoice } from '@inbox-agents/sdk';
import { fill, h } from '../dom.js';
import { describeState, STATE_LABELS, STATUS_CHOICES } from '../format.js';
import type { ConsoleContext, View } from '../main.js';

const DAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;
type Day = (typeof DAYS)[number][0];
type Weekly = Partial<Record<Day, Array<{ from: string; to: string }>>>;

/** My status: the status menu button (a button named "Status: …" with menu items), text and end, the derived state, working hours. */
export function mount(container: HTMLElement, context: ConsoleContext): View {
  const { client, chatbotId } = context;
  const path = { chatbotId };
  const button = h('button', { type: 'button', id: 'status-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'status-menu' }, 'Status');
  const menu = h('ul', { role: 'menu', id: 'status-menu', 'aria-label': 'Status', hidden: true });
  const text = h('input', { id: 'status-text', maxlength: 100, placeholder: 'In a meeting', autocomplete: 'off' });
  const end = h(
    'select',
    { id: 'status-end' },
    h('option', { value: '' }, 'No end'),
    h('option', { value: '30' }, 'For 30 min'),
    h('option', { value: '60' }, 'For 1 h'),
    h('option', { value: 'tomorrow' }, 'Until tomorrow'),
  );
  const derived = h('p', { class: 'derived', 'aria-live': 'polite' });
  const problem = h('p', { role: 'alert', class: 'problem' });

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

  async function choose(choice: StatusChoice): Promise<void> {
    close(true);
    problem.textContent = '';
    const until = end.value === '' ? null : end.value === 'tomorrow' ? untilTomorrow() : untilIn(Number(end.value));
    try {
      await setMyStatus(client, chatbotId, choice, { text: text.value.trim() || null, until });
    } catch (error) {
      problem.textContent = `The status was not changed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  // Working hours: one span a day (most schedules), in an IANA time zone.
  const zone = h('input', { id: 'wh-zone', value: Intl.DateTimeFormat().resolvedOptions().timeZone, autocomplete: 'off' });
  const rows = DAYS.map(([day, label]) => {
    const on = h('input', { type: 'checkbox', id: `wh-${day}` });
    const from = h('input', { type: 'time', value: '09:00', 'aria-label': `${label} from` });
    const to = h('input', { type: 'time', value: '17:00', 'aria-label': `${label} to` });
    return { day, on, from, to, row: h('div', { class: 'day' }, on, h('label', { for: `wh-${day}` }, label), from, h('span', { 'aria-hidden': 'true' }, '–'), to) };
  });
  const hoursNote = h('p', { role: 'status', class: 'note' });
  const loadHours = async () => {
    const answer = ok(await client.GET('/v1/inbox/{chatbotId}/agents/me/working-hours', { params: { path } }));
    const hours = answer.workingHours ?? answer.effective;
    if (hours) zone.value = hours.timeZone;
    for (const row of rows) {
      const span = (hours?.weekly as Weekly | undefined)?.[row.day]?.[0];
      row.on.checked = Boolean(span);
      if (span) [row.from.value, row.to.value] = [span.from, span.to];
    }
    hoursNote.textContent = answer.workingHours ? '' : answer.effective ? "Your team's hours apply." : 'No working hours are set: the clock never makes you offline.';
  };
  const saveHours = async (clear: boolean) => {
    const weekly: Weekly = {};
    for (const row of rows) if (row.on.checked) weekly[row.day] = [{ from: row.from.value, to: row.to.value }];
    try {
      ok(await client.PUT('/v1/inbox/{chatbotId}/agents/me/working-hours', { params: { path }, body: { workingHours: clear ? null : { timeZone: zone.value.trim(), weekly } } }));
      await loadHours();
      hoursNote.textContent = clear ? 'Your working hours were removed.' : 'Saved.';
    } catch (error) {
      hoursNote.textContent = `Not saved: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  void loadHours().catch(() => undefined);

  fill(
    container,
    h('h1', { id: 'status-title' }, 'My status'),
    h('div', { class: 'status-control' }, button, menu),
    h('div', { class: 'fields' }, h('label', { for: 'status-text' }, 'Status text'), text, h('label', { for: 'status-end' }, 'Ends'), end),
    derived,
    problem,
    h(
      'form',
      {
        class: 'hours',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void saveHours(false);
        },
      },
      h(
        'fieldset',
        {},
        h('legend', {}, 'Working hours'),
        h('label', { for: 'wh-zone' }, 'Time zone'),
        zone,
        ...rows.map((row) => row.row),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit' }, 'Save working hours'),
          h('button', { type: 'button', onclick: () => void saveHours(true) }, 'Remove working hours'),
        ),
        hoursNote,
      ),
    ),
  );

  const update = () => {
    const mine = context.agents().get(context.me.agentId);
    if (!mine) {
      button.textContent = 'Status';
      derived.textContent = '';
      return;
    }
    button.textContent = `Status: ${STATE_LABELS[mine.state]}`;
    derived.textContent = describeState(mine, Date.now());
  };
  update();
  return { update };
}
