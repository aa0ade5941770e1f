import { formatDuration } from '../../core/duration.ts';
import { buildMessage, type Message, type Section } from '../../core/message.ts';
import type { QueryRun } from '../../queries/backends/logs-backend.ts';
import type { KqlQuery } from '../../queries/kql/define-kql-query.ts';
import { describeParam } from '../../queries/params.ts';
import { headlineOf } from './query-headline.ts';
import { columnHeader, formatCell } from './result-format.ts';
import { newestFirst } from './result-order.ts';

/** Rows a card shows before it says "N more". */
export const MAX_CARD_ROWS = 10;

/**
 * The parameters used, as facts: timespans back in `15m` form. A subject filter left empty (all)
 * and a range end not given are left out, so the facts name exactly what was filtered.
 */
export function formatParams(run: Pick<QueryRun, 'query' | 'params'>): [string, string][] {
  const shape = run.query.params.shape as Record<string, Parameters<typeof describeParam>[0]>;
  const given = Object.entries(run.params).filter(([, v]) => v !== undefined && v !== '');
  return given.map(([name, v]) => {
    const kql = shape[name] ? describeParam(shape[name])?.kql : undefined;
    return [name, kql === 'timespan' && typeof v === 'number' ? formatDuration(v) : String(v)];
  });
}

/** A result as a card shows it: headers with units, formatted cells, newest rows first, cut at `maxRows`. */
export function formatResult(
  run: Pick<QueryRun, 'query' | 'result'>,
  maxRows: number,
): { columns: string[]; rows: string[][]; more: number } {
  const { query, result } = run;
  const meta = result.columns.map((c) => query.columns.find((m) => m.name === c.name) ?? c);
  const rows = newestFirst(query, result);
  return {
    columns: result.columns.map((c, i) => columnHeader(c.name, meta[i])),
    rows: rows.slice(0, maxRows).map((r) => r.map((v, i) => formatCell(result.columns[i]!.type, v, meta[i]))),
    more: Math.max(0, rows.length - maxRows),
  };
}

/** The result table section: the newest (or first-ranked) rows and how many older ones were left out. */
export function resultTable(run: QueryRun, maxRows = MAX_CARD_ROWS, title?: string): Section {
  return { kind: 'table', title, ...formatResult(run, maxRows) };
}

/** Where a result came from, as its card names it, and what the "what ran" section holds. */
const SOURCES = {
  kql: { local: 'local engine (simulated telemetry)', azure: 'Log Analytics', ran: 'KQL that ran' },
  metrics: {
    local: 'simulated Azure Monitor metrics',
    azure: 'Azure Monitor metrics',
    ran: 'Request that ran',
  },
} as const;

/**
 * The answer to `/kql <id>` (and `/aoai <id>`): table, chart, parameters, exactly what ran
 * (collapsed) and a portal link in production.
 */
export function queryResultCard(
  run: QueryRun,
  options: {
    backend: 'local' | 'azure';
    /** Log Analytics KQL (the default) or Azure Monitor metrics. */
    source?: keyof typeof SOURCES;
    chart?: { url: string; alt: string };
  },
): Message {
  const source = SOURCES[options.source ?? 'kql'];
  const { query, result } = run;
  const sections: Section[] = [];
  // The answer first: the value that matters against its threshold or baseline.
  const headline = headlineOf(run);
  if (headline) sections.push({ kind: 'notice', tone: headline.tone, text: headline.text });
  sections.push({ kind: 'text', text: query.description });
  if (result.partial)
    sections.push({
      kind: 'notice',
      tone: 'warning',
      text: `Partial result: ${result.partialReason ?? 'the service returned only part of the rows'}.`,
    });
  if (result.rows.length === 0)
    sections.push({ kind: 'notice', tone: 'good', text: query.empty ?? 'No rows: nothing matched.' });
  else sections.push(resultTable(run));
  if (options.chart) sections.push({ kind: 'image', url: options.chart.url, alt: options.chart.alt });
  sections.push({ kind: 'facts', title: 'Parameters', facts: formatParams(run) });
  sections.push({ kind: 'code', title: source.ran, code: run.text, collapsed: true });
  if (run.portalUrl)
    sections.push({ kind: 'links', links: [{ title: 'Open in Log Analytics', url: run.portalUrl }] });
  return buildMessage({
    header: {
      title: query.title,
      status: result.partial ? 'warning' : 'info',
      subtitle: `${query.id} · ${result.rows.length} row${result.rows.length === 1 ? '' : 's'} · ${source[options.backend]}`,
    },
    sections,
  });
}

/** What the catalog card lists of a vetted query, KQL or metric. */
export type CatalogEntry = Pick<KqlQuery, 'id' | 'title' | 'examples' | 'params'> &
  Partial<Pick<KqlQuery, 'private' | 'configured'>>;

/** How to run a query from chat; parameters set from the policy (prices …) cannot be typed. */
function usageOf(command: string, q: CatalogEntry): string {
  const names = Object.keys(q.params.shape).filter((n) => !q.configured?.includes(n));
  return names.length
    ? `/${command} ${q.id} ${names.map((n) => `[${n}=…]`).join(' ')}`
    : `/${command} ${q.id}`;
}

/**
 * The answer to `/kql` (or `/aoai`) alone: every vetted query with its usage and one example
 * question.
 */
export function catalogCard(
  catalog: ReadonlyMap<string, CatalogEntry>,
  { command, title }: { command: string; title: string } = { command: 'kql', title: 'Vetted KQL queries' },
): Message {
  const queries = [...catalog.values()];
  return buildMessage({
    header: {
      title,
      status: 'info',
      subtitle: `${queries.length} queries · /${command} <id> [param=value …]`,
    },
    sections: [
      {
        kind: 'table',
        columns: ['Query', 'What it answers', 'Usage'],
        rows: queries.map((q) => [
          q.private ? `${q.id} (private)` : q.id,
          `${q.title}, e.g. “${q.examples[0]}”`,
          usageOf(command, q),
        ]),
      },
    ],
  });
}
