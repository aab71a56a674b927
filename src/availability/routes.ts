import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, PROTECTED_READ_ERRORS } from '../errors.js';
import { header } from '../http/headers.js';
import { PAGE_RULES, PageOf, pageOf, PageQuery } from '../http/paging.js';
import { ChatbotAgentParams, ChatbotParams, isoTime, NullableDateTime } from '../http-schemas.js';
import { reportCsv } from './report.js';
import { ReportQuery, REPORT_FIELD_RULES } from './schemas.js';
import { REPORT_MAX_DAYS, REPORT_MAX_ROWS, type AvailabilityService } from './service.js';

const State = Type.Union([Type.Literal('available'), Type.Literal('away'), Type.Literal('busy'), Type.Literal('dnd'), Type.Literal('offline')]);
const Seconds = Type.Object(
  { available: Type.Integer(), away: Type.Integer(), busy: Type.Integer(), dnd: Type.Integer(), offline: Type.Integer() },
  { description: 'Whole seconds in each state within the period (up to now for the current day).' },
);

export const HistoryInterval = Type.Object(
  {
    id: Type.String({ examples: ['his_0mhxk2c5r00001k3v9qz2a'] }),
    state: State,
    reason: Type.String({ description: 'The reason, as in list entries.' }),
    statusText: Type.Union([Type.String(), Type.Null()]),
    from: Type.String({ format: 'date-time' }),
    to: NullableDateTime('When the interval ended; null for the current one.'),
    setBy: Type.Union([Type.String(), Type.Null()], { description: 'Who set it when not the agent itself or the clock: a supervisor.' }),
  },
  { title: 'HistoryInterval' },
);

const TimeInStateRow = Type.Object(
  {
    agentId: Type.String(),
    agentName: Type.Union([Type.String(), Type.Null()], { description: "The agent's name (as in the CSV); null once the agent was deleted." }),
    period: Type.String({ description: 'The local date the period begins on (a week: its Monday, or the first day of the range).' }),
    seconds: Seconds,
    firstAvailableAt: NullableDateTime('The first moment in the period the agent was available.'),
    lastAvailableAt: NullableDateTime('The last moment in the period the agent was available.'),
  },
  { title: 'TimeInStateRow' },
);

/** History and reports of who was available when. */
export const availabilityRoutes: FastifyPluginAsyncTypebox<{ availability: AvailabilityService }> = async (app, { availability }) => {
  app.get(
    '/v1/inbox/:chatbotId/agents/:agentId/history',
    {
      config: { permission: 'chatbots.inbox.reports.read', rateClass: 'reads', fieldRules: PAGE_RULES },
      schema: {
        summary: "Lists an agent's availability history on a chatbot, newest first",
        description: 'Every change of state, reason or status text is an interval, kept HISTORY_DAYS after it ended. An agent with no history here (or unknown) has an empty list.',
        tags: ['reports'],
        operationId: 'listAgentHistory',
        params: ChatbotAgentParams,
        querystring: PageQuery,
        response: { 200: { ...PageOf(HistoryInterval, 'HistoryPage'), description: 'A page of intervals' }, ...errorResponses(...PROTECTED_READ_ERRORS, 400) },
      },
    },
    async (request) => availability.history(request.params.chatbotId, request.params.agentId, pageOf(request.query, { descending: true })),
  );

  app.get(
    '/v1/inbox/:chatbotId/reports/time-in-state',
    {
      config: {
        permission: 'chatbots.inbox.reports.read',
        rateClass: 'reads',
        fieldRules: REPORT_FIELD_RULES,
      },
      schema: {
        summary: 'Reports the time each agent spent in each state, per day or week',
        description: `From the availability history, in the time zone asked for (days of 23 or 25 hours across daylight-saving changes). Only agents with history in a period have a row for it. \`Accept: text/csv\` answers the same rows as CSV (RFC 4180; the agent's name beside its id, seconds per state as columns). At most ${REPORT_MAX_DAYS} days and ${REPORT_MAX_ROWS} rows.`,
        tags: ['reports'],
        operationId: 'reportTimeInState',
        params: ChatbotParams,
        querystring: ReportQuery,
        response: {
          200: {
            description: 'The rows, by agent then period',
            content: {
              'application/json': { schema: Type.Object({ rows: Type.Array(TimeInStateRow) }, { title: 'TimeInStateReport' }) },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          ...errorResponses(...PROTECTED_READ_ERRORS, 400),
        },
      } as never,
    },
    async (request, reply) => {
      const { chatbotId } = request.params as { chatbotId: string };
      const { rows, names } = await availability.timeInState(chatbotId, request.query as never);
      if (/\btext\/csv\b/.test(header(request, 'accept') ?? '')) {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="time-in-state-${chatbotId}.csv"`).send(reportCsv(rows, names));
      }
      return reply.type('application/json; charset=utf-8').send(
        JSON.stringify({
          rows: rows.map(({ agentId, ...row }) => ({
            agentId,
            agentName: names.get(agentId) ?? null,
            ...row,
            firstAvailableAt: isoTime(row.firstAvailableAt),
            lastAvailableAt: isoTime(row.lastAvailableAt),
          })),
        }),
      );
    },
  );
};
