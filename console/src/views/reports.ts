import { apiError, ok } from '@inbox-agents/sdk';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { fill, h } from '../dom.js';
import { reportScale, STATE_LABELS, waitLabel } from '../format.js';
import type { ConsoleContext, View } from '../main.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const STATES = ['available', 'away', 'busy', 'dnd', 'offline'] as const;

function isoDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * Reports (admins): time in each state per agent over a date range, as a chart and a table, and
 * the same rows as CSV; and how long chats waited for an agent (p50, p90) per day and priority,
 * with how many were cancelled or expired, likewise as a chart, a table and CSV; and offers per
 * agent (accepted, declined, missed, withdrawn, the median time to accept), likewise.
 */
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
  const waitCanvas = h('canvas', { role: 'img', 'aria-label': 'How long chats waited, per day and priority' });
  const waitTable = h('table', { class: 'report' });
  const waitDownload = h('a', { download: 'waiting.csv', class: 'download', hidden: true }, 'Download waiting CSV');
  const waitNote = h('p', { role: 'status', class: 'note' });
  let waitChart: Chart | null = null;
  let waitCsvUrl: string | null = null;
  const offerCanvas = h('canvas', { role: 'img', 'aria-label': 'Offers per agent: accepted, declined, missed' });
  const offerTable = h('table', { class: 'report' });
  const offerDownload = h('a', { download: 'offers.csv', class: 'download', hidden: true }, 'Download offers CSV');
  const offerNote = h('p', { role: 'status', class: 'note' });
  let offerChart: Chart | null = null;
  let offerCsvUrl: string | null = null;

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
    await showWaits();
    await showOffers();
  };

  const showOffers = async () => {
    try {
      const report = ok(await client.GET('/v1/inbox/{chatbotId}/reports/offers', { params: { path: { chatbotId }, query: query() } }));
      const rows = typeof report === 'string' ? [] : report.agents;
      const names = new Map([...context.agents().values()].map((agent) => [agent.agentId, agent.name]));
      const labels = rows.map((row) => row.name ?? names.get(row.agentId) ?? row.agentId);
      const style = getComputedStyle(document.documentElement);
      offerChart?.destroy();
      offerChart = new Chart(offerCanvas, {
        type: 'bar',
        data: {
          labels,
          datasets: (
            [
              ['Accepted', 'accepted', '--available'],
              ['Declined', 'declined', '--busy'],
              ['Missed', 'missed', '--away'],
            ] as const
          ).map(([label, field, color]) => ({ label, data: rows.map((row) => row[field]), backgroundColor: style.getPropertyValue(color).trim() || '#888' })),
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'offers' } } },
        },
      });
      fill(
        offerTable,
        h('caption', {}, `Offers, ${from.value} to ${to.value} (${tz})`),
        h(
          'thead',
          {},
          h('tr', {}, ...['Agent', 'Offered', 'Accepted', 'Declined', 'Missed', 'Withdrawn', 'Median time to accept'].map((title) => h('th', { scope: 'col' }, title))),
        ),
        h(
          'tbody',
          {},
          ...rows.map((row, index) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, labels[index]!),
              ...[row.offered, row.accepted, row.declined, row.missed, row.withdrawn].map((count) => h('td', {}, String(count))),
              h('td', {}, row.medianSecondsToAccept === null ? '–' : `${row.medianSecondsToAccept} s`),
            ),
          ),
        ),
      );
      const csv = await client.GET('/v1/inbox/{chatbotId}/reports/offers', { params: { path: { chatbotId }, query: query() }, headers: { accept: 'text/csv' }, parseAs: 'text' });
      if (!csv.response.ok) throw apiError(csv.response.status, csv.error);
      if (offerCsvUrl) URL.revokeObjectURL(offerCsvUrl);
      offerCsvUrl = URL.createObjectURL(new Blob([csv.data ?? ''], { type: 'text/csv' }));
      offerDownload.href = offerCsvUrl;
      offerDownload.hidden = false;
      offerNote.textContent = rows.length === 0 ? 'No chat was offered in this range (offers are on when the chatbot asks agents to accept).' : '';
    } catch (error) {
      offerNote.textContent = `The offers report could not be made: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  const showWaits = async () => {
    try {
      const report = ok(await client.GET('/v1/inbox/{chatbotId}/reports/waiting', { params: { path: { chatbotId }, query: query() } }));
      const rows = typeof report === 'string' ? [] : report.rows;
      const labels = rows.map((row) => waitLabel(row));
      const style = getComputedStyle(document.documentElement);
      const longest = Math.max(0, ...rows.map((row) => row.waitP90Seconds ?? 0));
      const { unit, amount, clock } = reportScale(longest);
      waitChart?.destroy();
      waitChart = new Chart(waitCanvas, {
        type: 'bar',
        data: {
          labels,
          datasets: [
            { label: 'Median wait', data: rows.map((row) => amount(row.waitP50Seconds ?? 0)), backgroundColor: style.getPropertyValue('--available').trim() || '#888' },
            { label: '90th percentile', data: rows.map((row) => amount(row.waitP90Seconds ?? 0)), backgroundColor: style.getPropertyValue('--away').trim() || '#888' },
          ],
        },
        options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { title: { display: true, text: unit } } } },
      });
      const cell = (seconds: number | null) => (seconds === null ? '–' : clock(seconds));
      fill(
        waitTable,
        h('caption', {}, `Waiting for an agent, ${from.value} to ${to.value} (${tz})`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Day and priority', 'Chats', 'Assigned', 'Cancelled', 'Expired', 'Still waiting', 'Median wait', '90th percentile'].map((title) =>
              h('th', { scope: 'col' }, title),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...rows.map((row, index) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, labels[index]!),
              ...[row.chats, row.assigned, row.cancelled, row.expired, row.waiting].map((count) => h('td', {}, String(count))),
              h('td', {}, cell(row.waitP50Seconds)),
              h('td', {}, cell(row.waitP90Seconds)),
            ),
          ),
        ),
      );
      const csv = await client.GET('/v1/inbox/{chatbotId}/reports/waiting', { params: { path: { chatbotId }, query: query() }, headers: { accept: 'text/csv' }, parseAs: 'text' });
      if (!csv.response.ok) throw apiError(csv.response.status, csv.error);
      if (waitCsvUrl) URL.revokeObjectURL(waitCsvUrl);
      waitCsvUrl = URL.createObjectURL(new Blob([csv.data ?? ''], { type: 'text/csv' }));
      waitDownload.href = waitCsvUrl;
      waitDownload.hidden = false;
      waitNote.textContent = rows.length === 0 ? 'No chat asked for an agent in this range.' : '';
    } catch (error) {
      waitNote.textContent = `The waiting report could not be made: ${error instanceof Error ? error.message : String(error)}`;
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
    h('h2', {}, 'Waiting for an agent'),
    waitNote,
    waitDownload,
    h('div', { class: 'chart' }, waitCanvas),
    // Eight columns are wider than a phone: the table scrolls on its own (focusable, so by keyboard too).
    h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Waiting report, scrolls sideways' }, waitTable),
    h('h2', {}, 'Offers'),
    offerNote,
    offerDownload,
    h('div', { class: 'chart' }, offerCanvas),
    h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Offers report, scrolls sideways' }, offerTable),
  );
  void show();
  return { update: () => undefined };
}
