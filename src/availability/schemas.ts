import { Type } from 'typebox';
import { MAX_OPENINGS_PER_DAY } from './working-hours.js';

/** The most days one report may span. */
export const REPORT_MAX_DAYS = 366;

const Time = Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', description: 'Local time, HH:MM (00:00 to 24:00).' });
const Openings = Type.Array(Type.Object({ from: Time, to: Time }, { additionalProperties: false }), {
  maxItems: MAX_OPENINGS_PER_DAY,
  description: `Up to ${MAX_OPENINGS_PER_DAY} openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00".`,
});

/** A weekly schedule in an IANA time zone; a day left out is closed. */
export const WorkingHoursSchema = Type.Object(
  {
    timeZone: Type.String({
      maxLength: 64,
      description: 'An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.',
      examples: ['Europe/Berlin'],
    }),
    weekly: Type.Object(
      {
        mon: Type.Optional(Openings),
        tue: Type.Optional(Openings),
        wed: Type.Optional(Openings),
        thu: Type.Optional(Openings),
        fri: Type.Optional(Openings),
        sat: Type.Optional(Openings),
        sun: Type.Optional(Openings),
      },
      { additionalProperties: false },
    ),
  },
  { title: 'WorkingHours', additionalProperties: false },
);

export const NullableWorkingHours = Type.Union([WorkingHoursSchema, Type.Null()], {
  description: 'A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile.',
});

export const WORKING_HOURS_RULE =
  'workingHours must be null or { "timeZone": "Europe/Berlin", "weekly": { "mon": [{ "from": "09:00", "to": "17:00" }], … } } with days mon to sun and at most 4 openings a day';

/** A report's dates: the days from, to (inclusive) in tz, per day or week (every report of a chatbot takes these). */
export const ReportQuery = Type.Object(
  {
    from: Type.String({ description: 'The first day, YYYY-MM-DD, in tz.', examples: ['2026-11-01'] }),
    to: Type.String({ description: `The last day (inclusive), YYYY-MM-DD, in tz; at most ${REPORT_MAX_DAYS} days after from.`, examples: ['2026-11-30'] }),
    tz: Type.Optional(Type.String({ maxLength: 64, description: 'An IANA time zone (default UTC): days begin at its midnight.', examples: ['Europe/Berlin'] })),
    groupBy: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week')], { description: 'day (default) or week (ISO weeks, Monday first).' })),
  },
  { additionalProperties: false },
);

export const REPORT_FIELD_RULES = { groupBy: 'groupBy must be "day" or "week"', tz: 'tz must be an IANA time zone such as Europe/Berlin or UTC' };
