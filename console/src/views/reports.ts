import { apiError, ok } from '@inbox-agents/sdk';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { fill, h } from '../dom.js';
import { reportScale, STATE_LABELS } from '../format.js';
import type { ConsoleContext, View } from '../main.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const STATES = ['available', 'away', 'busy', 'dnd', 'offline'] as const;

function isoDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Reports (admins): time in each state per agent over a date range, as a chart and a table, and the same rows as CSV. */
export function mount(container: HTMLElement, context: ConsoleContext): View {
  const { client, chatbotId } = context;
  const today = new Date();
  const from = h('input', { type: 'date', id: 'report-from', value: isoDate(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6)) });
  const to = h('input', { type: 'date', id: 'report-to', value: isoDate(today) });
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const canvas = h('canvas', { role: 'img', 'aria-label': 'Time in each state per agent' });
  const table = h('table', { class: 'report' });
  const download = h('a', { download: 'time-in-state.csv', class: 'download', hidden: true }, 'Download CSV');
  const note = h('p', { role: 'status', class: 'note' });
  let chart: Chart | null = null;
  let csvUrl: string | null = null;

  const query = () => ({ from: from.value, to: to.value, tz });
  const show = async () => {
    note.textContent = 'Loading…';
    try {
      const report = ok(await client.GET('/v1/inbox/{chatbotId}/reports/time-in-state', { params: { path: { chatbotId }, query: query() } }));
      const rows = typeof report === 'string' ? [] : report.rows;
      // Names from the report itself (former members included), else from the live team.
      const names = new Map([...context.agents().values()].map((agent) => [agent.agentId, agent.name]));
      for (const row of rows) if (row.agentName) names.set(row.agentId, row.agentName);
      const totals = new Map<string, Record<(typeof STATES)[number], number>>();
      for (const row of rows) {
        const total = totals.get(row.agentId) ?? { available: 0, away: 0, busy: 0, dnd: 0, offline: 0 };
        for (const state of STATES) total[state] += row.seconds[state];
        totals.set(row.agentId, total);
      }
      const agents = [...totals.keys()].sort((a, b) => (names.get(a) ?? a).localeCompare(names.get(b) ?? b));
      const labels = agents.map((agent) => names.get(agent) ?? agent);
      const style = getComputedStyle(document.documentElement);
      Chart.defaults.color = style.getPropertyValue('--muted').trim() || '#666';
      Chart.defaults.borderColor = style.getPropertyValue('--line').trim() || '#ddd';
      const longest = Math.max(0, ...[...totals.values()].map((total) => STATES.reduce((sum, state) => sum + total[state], 0)));
      const { unit, amount, clockName, clock } = reportScale(longest);
      chart?.destroy();
      chart = new Chart(canvas, {
        type: 'bar',
        data: {
          labels,
          datasets: STATES.map((state) => ({
            label: STATE_LABELS[state],
            data: agents.map((agent) => amount(totals.get(agent)![state])),
            backgroundColor: style.getPropertyValue(`--${state}`).trim() || '#888',
          })),
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: unit } } },
        },
      });
      fill(
        table,
        h('caption', {}, `Time in each state (${clockName}), ${from.value} to ${to.value} (${tz})`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Agent'), ...STATES.map((state) => h('th', { scope: 'col' }, STATE_LABELS[state])))),
        h(
          'tbody',
          {},
          ...agents.map((agent, index) => h('tr', {}, h('th', { scope: 'row' }, labels[index]!), ...STATES.map((state) => h('td', {}, clock(totals.get(agent)![state]))))),
        ),
      );
      // The CSV is the service's own (Accept: text/csv), fetched with the key and offered as a file.
      const csv = await client.GET('/v1/inbox/{chatbotId}/reports/time-in-state', {
        params: { path: { chatbotId }, query: query() },
        headers: { accept: 'text/csv' },
        parseAs: 'text',
      });
      if (!csv.response.ok) throw apiError(csv.response.status, csv.error);
      if (csvUrl) URL.revokeObjectURL(csvUrl);
      csvUrl = URL.createObjectURL(new Blob([csv.data ?? ''], { type: 'text/csv' }));
      download.href = csvUrl;
      download.hidden = false;
      note.textContent = rows.length === 0 ? 'Nothing was recorded in this range.' : '';
    } catch (error) {
      note.textContent = `The report could not be made: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  fill(
    container,
    h('h1', { id: 'reports-title' }, 'Reports'),
    h(
      'form',
      {
        class: 'range',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void show();
        },
      },
      h('label', { for: 'report-from' }, 'From'),
      from,
      h('label', { for: 'report-to' }, 'To'),
      to,
      h('button', { type: 'submit' }, 'Show'),
      download,
    ),
    note,
    h('div', { class: 'chart' }, canvas),
    table,
  );
  void show();
  return { update: () => undefined };
}
