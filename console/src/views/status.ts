import { ok, untilIn, untilTomorrow } from '@inbox-agents/sdk';
import { fill, h } from '../dom.js';
import { chosenStatusOf, describeState, timeOfDay, zoneNote } from '../format.js';
import type { StatusDraft } from '../status-control.js';
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

/** My status: text and end for the header's status menu (Enter applies the text), the derived state, working hours. */
export function mount(container: HTMLElement, context: ConsoleContext): View {
  const { client, chatbotId } = context;
  const path = { chatbotId };
  const text = h('input', { id: 'status-text', maxlength: 100, placeholder: 'In a meeting', autocomplete: 'off' });
  const standingEnd = h('option', { value: 'standing', hidden: true }, '');
  const end = h(
    'select',
    { id: 'status-end' },
    h('option', { value: '' }, 'No end'),
    standingEnd,
    h('option', { value: '30' }, 'For 30 min'),
    h('option', { value: '60' }, 'For 1 h'),
    h('option', { value: 'tomorrow' }, 'Until tomorrow'),
  );
  const derived = h('p', { class: 'derived', 'aria-live': 'polite' });
  let standingUntil: string | null = null;
  // The fields show the status that stands until the agent edits them; choosing a status starts over.
  let edited = false;
  text.addEventListener('input', () => (edited = true));
  end.addEventListener('change', () => (edited = true));
  const draft = (): StatusDraft => {
    edited = false;
    return draftNow();
  };
  const draftNow = (): StatusDraft => ({
    text: text.value.trim() || null,
    until:
      end.value === ''
        ? null
        : end.value === 'standing'
          ? standingUntil
            ? new Date(standingUntil)
            : null
          : end.value === 'tomorrow'
            ? untilTomorrow()
            : untilIn(Number(end.value)),
  });
  context.status.useDraft(draft);
  // Enter in the text applies it to the status the agent chose.
  text.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const mine = context.agents().get(context.me.agentId);
    edited = false;
    void context.status.choose((mine && chosenStatusOf(mine)) ?? 'available');
  });

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
    hoursNote.textContent = [
      answer.workingHours ? '' : answer.effective ? "Your team's hours apply." : 'No working hours are set: the clock never makes you offline.',
      hours ? zoneNote(hours.timeZone) : null,
    ]
      .filter(Boolean)
      .join(' ');
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
    h('div', { class: 'fields' }, h('label', { for: 'status-text' }, 'Status text'), text, h('label', { for: 'status-end' }, 'Ends'), end),
    h('p', { class: 'hint' }, 'Press Enter to apply the text, or choose a status from the Status menu above.'),
    derived,
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
      derived.textContent = '';
      return;
    }
    derived.textContent = describeState(mine, Date.now());
    if (edited || document.activeElement === text) return;
    text.value = mine.statusText ?? '';
    standingUntil = mine.statusUntil;
    standingEnd.hidden = !standingUntil;
    standingEnd.textContent = standingUntil ? `Until ${timeOfDay(standingUntil)}` : '';
    end.value = standingUntil ? 'standing' : '';
  };
  update();
  return { update };
}
