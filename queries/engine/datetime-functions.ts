import { KqlError, type SourcePos } from './errors.ts';
import { mapRows, type Val } from './value.ts';

const DAY = 86_400_000;
const DIFF_UNITS: Record<string, number> = {
  day: DAY,
  hour: 3_600_000,
  minute: 60_000,
  second: 1000,
  millisecond: 1,
};

function datetimeArg(name: string, args: Val[], count: number, pos: SourcePos): void {
  if (args.length !== count) throw new KqlError('KQL_ARGUMENT', `${name}() takes ${count} argument(s)`, pos);
  const first = args[count === 3 ? 1 : 0]!;
  if (first.col.type !== 'datetime')
    throw new KqlError('KQL_TYPE', `${name}() needs a datetime, got ${first.col.type}`, pos);
}

const utc = (ms: number): Date => new Date(ms);

/** Datetime functions (UTC, as in Kusto), applied row by row. */
export const DATETIME_FUNCTIONS: Record<string, (args: Val[], n: number, pos: SourcePos) => Val> = {
  hourofday: (args, n, pos) => {
    datetimeArg('hourofday', args, 1, pos);
    return mapRows(args, n, 'int', ([x]) => (x === null ? null : utc(x as number).getUTCHours()));
  },
  dayofweek: (args, n, pos) => {
    datetimeArg('dayofweek', args, 1, pos);
    // Kusto returns the days since the preceding Sunday as a timespan.
    return mapRows(args, n, 'timespan', ([x]) => (x === null ? null : utc(x as number).getUTCDay() * DAY));
  },
  startofweek: (args, n, pos) => {
    datetimeArg('startofweek', args, 1, pos);
    return mapRows(args, n, 'datetime', ([x]) => {
      if (x === null) return null;
      const day = Math.floor((x as number) / DAY) * DAY;
      return day - utc(day).getUTCDay() * DAY;
    });
  },
  startofmonth: (args, n, pos) => {
    datetimeArg('startofmonth', args, 1, pos);
    return mapRows(args, n, 'datetime', ([x]) => {
      if (x === null) return null;
      const d = utc(x as number);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    });
  },
  datetime_diff: (args, n, pos) => {
    datetimeArg('datetime_diff', args, 3, pos);
    return mapRows(args, n, 'long', ([p, a, b]) => {
      const unit = DIFF_UNITS[String(p).toLowerCase()];
      if (unit === undefined)
        throw new KqlError('KQL_ARGUMENT', `datetime_diff() part "${String(p)}" is not supported`, pos);
      if (a === null || b === null) return null;
      // Counts unit boundaries crossed, like Kusto (floor of each side, then subtract).
      return Math.floor((a as number) / unit) - Math.floor((b as number) / unit);
    });
  },
};
