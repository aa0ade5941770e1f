import { formatDuration } from '../../core/duration.ts';
import { buildMessage, type Message, type Section } from '../../core/message.ts';
import type { LogsRun } from '../../queries/backends/logs-backend.ts';
import type { KqlCatalog } from '../../queries/catalog.ts';
import type { KqlQuery } from '../../queries/kql/define-kql-query.ts';
import { describeParam } from '../../queries/params.ts';

/** Rows a card shows before it says "N more". */
export const MAX_CARD_ROWS = 10;

/** One cell as people read it: datetimes to the minute (UTC), long numbers grouped, null as "–". */
export function formatCell(type: string, v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (type === 'datetime' && typeof v === 'string')
    return v.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
  return String(v).slice(0, 200);
}

/** The parameters used, as facts: timespans back in `15m` form. */
export function formatParams(run: Pick<LogsRun, 'query' | 'params'>): [string, string][] {
  const shape = run.query.params.shape as Record<string, Parameters<typeof describeParam>[0]>;
  return Object.entries(run.params).map(([name, v]) => {
    const kql = shape[name] ? describeParam(shape[name])?.kql : undefined;
    return [name, kql === 'timespan' && typeof v === 'number' ? formatDuration(v) : String(v)];
  });
}

/** The result table section: the first rows and how many were left out. */
export function resultTable(run: LogsRun, maxRows = MAX_CARD_ROWS, title?: string): Section {
  const { columns, rows } = run.result;
  return {
    kind: 'table',
    title,
    columns: columns.map((c) => c.name),
    rows: rows.slice(0, maxRows).map((r) => r.map((v, i) => formatCell(columns[i]!.type, v))),
    more: Math.max(0, rows.length - maxRows),
  };
}

/** The answer to `/kql <id>`: table, chart, parameters, the exact KQL (collapsed) and a portal link in production. */
export function queryResultCard(
  run: LogsRun,
  options: { backend: 'local' | 'azure'; chart?: { url: string; alt: string } },
): Message {
  const { query, result } = run;
  const sections: Section[] = [{ kind: 'text', text: query.description }];
  if (result.partial)
    sections.push({
      kind: 'notice',
      tone: 'warning',
      text: `Partial result: ${result.partialReason ?? 'the service returned only part of the rows'}.`,
    });
  if (result.rows.length === 0)
    sections.push({ kind: 'notice', tone: 'good', text: 'No rows: nothing matched.' });
  else sections.push(resultTable(run));
  if (options.chart) sections.push({ kind: 'image', url: options.chart.url, alt: options.chart.alt });
  sections.push({ kind: 'facts', title: 'Parameters', facts: formatParams(run) });
  sections.push({ kind: 'code', title: 'KQL that ran', code: run.text, collapsed: true });
  if (run.portalUrl)
    sections.push({ kind: 'links', links: [{ title: 'Open in Log Analytics', url: run.portalUrl }] });
  return buildMessage({
    header: {
      title: query.title,
      status: result.partial ? 'warning' : 'info',
      subtitle: `${query.id} · ${result.rows.length} row${result.rows.length === 1 ? '' : 's'} · ${options.backend === 'local' ? 'local engine (simulated telemetry)' : 'Log Analytics'}`,
    },
    sections,
  });
}

/** How to run a query from chat; parameters set from the policy (prices …) cannot be typed. */
function usageOf(q: KqlQuery): string {
  const names = Object.keys(q.params.shape).filter((n) => !q.configured.includes(n));
  return names.length ? `/kql ${q.id} ${names.map((n) => `[${n}=…]`).join(' ')}` : `/kql ${q.id}`;
}

/** The answer to `/kql` alone: every vetted query with its usage and one example question. */
export function catalogCard(catalog: KqlCatalog): Message {
  const queries = [...catalog.values()];
  return buildMessage({
    header: {
      title: 'Vetted KQL queries',
      status: 'info',
      subtitle: `${queries.length} queries · /kql <id> [param=value …]`,
    },
    sections: [
      {
        kind: 'table',
        columns: ['Query', 'What it answers', 'Usage'],
        rows: queries.map((q) => [
          q.private ? `${q.id} (private)` : q.id,
          `${q.title}, e.g. “${q.examples[0]}”`,
          usageOf(q),
        ]),
      },
    ],
  });
}
