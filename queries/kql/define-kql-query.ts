import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { kqlTypeSchema } from '../engine/types.ts';
import { describeParam } from '../params.ts';
import { readKqlText } from './kql-text.ts';
import { logSource } from './log-sources.ts';

/** How a query's result is best shown in chat. */
export const kqlShow = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('table') }),
  /** A line chart over a time column, one line per `y` column (split by `series` when given). */
  z.object({
    kind: z.literal('line'),
    x: z.string(),
    y: z.array(z.string()).min(1),
    series: z.string().optional(),
    unit: z.string().optional(),
  }),
  /** One number, from the first row. */
  z.object({ kind: z.literal('stat'), column: z.string(), unit: z.string().optional() }),
]);
export type KqlShow = z.infer<typeof kqlShow>;

/** Column types that hold numbers; each needs a unit so that no card shows a bare "2807.2". */
const NUMERIC = new Set(['int', 'long', 'real']);

/**
 * One result column and how people read it: a number carries its unit (`ms`, `%`, `tokens`, `req`,
 * `USD`), shown in the column header and the headline, and a real its number of decimals, so every
 * cell of a column looks alike.
 */
export const kqlColumn = z.object({
  name: z.string().min(1),
  type: kqlTypeSchema,
  unit: z.string().min(1).max(16).optional(),
  decimals: z.number().int().min(0).max(6).optional(),
});
export type KqlColumn = z.infer<typeof kqlColumn>;

/**
 * The one-line answer a result card leads with: the value of `column` in the row that matters (the
 * newest, for rows dated by a time column; the worst, otherwise), against a `threshold` (a fixed
 * number in the column's unit, or the name of a typed parameter holding it) and/or a `baseline`
 * column of the same row. `worse` says which way is bad news.
 */
export const kqlHeadline = z
  .object({
    column: z.string(),
    label: z.string().min(2).max(60),
    /** The column that names the row the value comes from (app role, deployment …). */
    by: z.string().optional(),
    threshold: z.union([z.number(), z.object({ param: z.string() })]).optional(),
    baseline: z.string().optional(),
    worse: z.enum(['higher', 'lower']),
  })
  .refine((h) => h.threshold !== undefined || h.baseline !== undefined, {
    message: 'a headline compares its value with a threshold or a baseline: give one of them',
    path: ['threshold'],
  });
export type KqlHeadline = z.infer<typeof kqlHeadline>;

const definitionShape = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(3).max(80),
    description: z.string().min(10),
    examples: z.array(z.string().min(3)).min(3),
    /** The zod schema of the parameters: the only definition of what a person may type. */
    params: z.instanceof(z.ZodObject),
    columns: z.array(kqlColumn).min(1),
    headline: kqlHeadline,
    /**
     * The datetime column that dates each row of a table (line charts: their `x`): rows are shown
     * newest first by it, and the headline reads the newest. Without one, rows keep the query's
     * order (ranked results: the worst first).
     */
    time: z.string().optional(),
    show: kqlShow,
    /** The tables it reads: a workspace without them refuses the query, naming what to turn on. */
    source: logSource.default('app-insights'),
    /** Output may identify people: answered only in a direct message to an authorised user. */
    private: z.boolean().default(false),
    /**
     * Parameters set from configuration (the policy file), never from chat: the query runner supplies
     * them and refuses a value typed by a person.
     */
    configured: z.array(z.string()).default([]),
    /**
     * Offered to the question router. False for the building blocks of the views (`/status`,
     * `/cost`): a question about spend or availability is answered by the query people already
     * ask for it, and the views are the answer to "show me the dashboard". `/kql` still runs them.
     */
    routable: z.boolean().default(true),
  })
  .superRefine((def, ctx) => {
    const columns = new Map(def.columns.map((c) => [c.name, c]));
    const problem = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    def.columns.forEach((c, i) => {
      if (NUMERIC.has(c.type) && c.unit === undefined)
        problem(['columns', i, 'unit'], `column ${c.name} is a number: give its unit`);
      if (c.type === 'real' && c.decimals === undefined)
        problem(['columns', i, 'decimals'], `column ${c.name} is a real: give its decimals`);
    });
    const h = def.headline;
    const type = columns.get(h.column)?.type;
    if (!type || !(NUMERIC.has(type) || type === 'timespan'))
      problem(['headline', 'column'], `${h.column} is not a number or timespan column of the result`);
    if (h.by !== undefined && !columns.has(h.by))
      problem(['headline', 'by'], `${h.by} is not a column of the result`);
    if (h.baseline !== undefined && columns.get(h.baseline)?.type !== type)
      problem(['headline', 'baseline'], `${h.baseline} is not a column of the same type as ${h.column}`);
    if (typeof h.threshold === 'object') {
      const param = (def.params.shape as Record<string, z.ZodType>)[h.threshold.param];
      const kql = param ? describeParam(param)?.kql : undefined;
      const fits = type === 'timespan' ? kql === 'timespan' : kql !== undefined && NUMERIC.has(kql);
      if (!fits)
        problem(['headline', 'threshold', 'param'], `${h.threshold.param} is not a typed ${type} parameter`);
    }
    const time = def.show.kind === 'line' ? def.show.x : def.time;
    if (def.show.kind === 'line' && def.time !== undefined && def.time !== def.show.x)
      problem(['time'], 'a line chart is dated by its x column');
    if (time !== undefined && columns.get(time)?.type !== 'datetime')
      problem(['time'], `${time} is not a datetime column of the result`);
  });

/** A vetted KQL query: its reviewed `.kql` text plus typed metadata; `params` is the parameter truth. */
export interface KqlQuery<P extends z.ZodObject = z.ZodObject>
  extends Omit<z.output<typeof definitionShape>, 'params'> {
  params: P;
  /** The reviewed text of `queries/kql/<id>.kql`, starting with `declare query_parameters(...)`. */
  text: string;
}

/**
 * Defines a vetted query; reads its `.kql` file once and validates the metadata, so that a query
 * without units or a headline that names no column fails at start-up, not on a card at 3 AM.
 */
export function defineKqlQuery<P extends z.ZodObject>(
  def: Omit<z.input<typeof definitionShape>, 'params'> & { params: P },
): KqlQuery<P> {
  const parsed = definitionShape.safeParse(def);
  if (!parsed.success)
    throw new AppError('KQL_DEFINITION', `vetted query ${def.id}: ${z.prettifyError(parsed.error)}`);
  const meta = parsed.data;
  return { ...meta, params: def.params, text: readKqlText(meta.id) };
}

/** The date column of a query's rows, if its rows are dated (line charts: their x). */
export function timeColumnOf(query: Pick<KqlQuery, 'show' | 'time'>): string | undefined {
  return query.show.kind === 'line' ? query.show.x : query.time;
}
