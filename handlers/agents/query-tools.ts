import { z } from 'zod';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import { type MetricsBackend, runGpuInstant, runGpuRange } from '../../queries/backends/metrics-backend.ts';
import type { VettedGpuQuery } from '../../queries/gpu/define-gpu-query.ts';
import { modelParamNames, toQueryTool } from '../questions/llm/tool-schemas.ts';
import type { RoutableQuery } from '../questions/routable-query.ts';
import { type AgentTool, MAX_ROWS, textTable } from './agent-tool.ts';

/**
 * The arguments an agent may give a vetted query: exactly the parameters the LLM router's tool
 * offers (scalars that configuration does not set), with the query's own zod schemas, and no
 * others (an unknown parameter is an error naming it, not silently dropped).
 */
export function agentParams(query: RoutableQuery): z.ZodObject {
  const names = modelParamNames(query);
  const shape = Object.fromEntries(Object.entries(query.params.shape).filter(([name]) => names.has(name)));
  return z.strictObject(shape);
}

/** The description the LLM router gives the same query: title, description and examples. */
function describe(query: RoutableQuery): string {
  return toQueryTool(query).function.description ?? query.description;
}

/**
 * One tool per vetted KQL query the question router may run (private queries are not among them),
 * through the policy-wrapped logs backend, which validates and binds the parameters again. No
 * caller is passed: a private query would be refused even if one were asked for.
 */
export function kqlQueryTools(logs: LogsBackend, queries: readonly RoutableQuery[]): AgentTool[] {
  return queries.map((query) => ({
    name: query.id,
    title: query.title,
    description: describe(query),
    input: agentParams(query),
    readOnly: true,
    work: 'kql',
    async run(args) {
      const run = await logs.run(query.id, args);
      const { columns, rows } = run.result;
      const names = columns.map((c) => c.name);
      return {
        structured: {
          query: query.id,
          title: query.title,
          params: run.params,
          kql: run.text,
          columns,
          rows: rows.slice(0, MAX_ROWS),
          rowCount: rows.length,
          truncated: rows.length > MAX_ROWS,
          partial: run.result.partial,
          ...(run.portalUrl ? { portalUrl: run.portalUrl } : {}),
        },
        text: `${query.title}: ${rows.length} row${rows.length === 1 ? '' : 's'}${run.result.partial ? ' (partial result)' : ''}.\n${textTable(names, rows)}`,
      };
    },
  }));
}

/** One tool per vetted GPU (Prometheus/DCGM) query, through the metrics backend. */
export function gpuQueryTools(
  metrics: MetricsBackend,
  queries: readonly { routable: RoutableQuery; query: VettedGpuQuery }[],
  now: () => number,
): AgentTool[] {
  return queries.map(({ routable, query }) => ({
    name: routable.id,
    title: routable.title,
    description: describe(routable),
    input: agentParams(routable),
    readOnly: true,
    work: 'gpu',
    async run(args) {
      const at = now();
      const parts =
        query.kind === 'instant'
          ? await runGpuInstant(metrics, query, args, { at })
          : await runGpuRange(metrics, query, args, { at });
      const counts = Object.entries(parts).map(([part, series]) => `${part}: ${series.length} series`);
      return {
        structured: { query: query.id, title: query.title, kind: query.kind, at, params: args, parts },
        text: `${query.title} (${query.kind}, at ${new Date(at).toISOString()}): ${counts.join(', ')}.`,
      };
    },
  }));
}
