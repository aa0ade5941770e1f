import type { Logger } from '../../core/logger.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import type { CostPolicy } from '../../queries/cost/cost-policy.ts';
import { spendBetween } from '../../queries/cost/spend-report.ts';
import type { DetectorContext } from './detector.ts';

export interface DetectorContextDeps {
  logs: LogsBackend;
  metrics: MetricsBackend | undefined;
  cost: CostPolicy;
  logger: Logger | undefined;
  now: number;
  /** The scheduler's run options: background work, withdrawn when the bot closes. */
  runOptions?: { background: true; signal: AbortSignal };
}

/**
 * What a detector may use during one run: vetted queries on the logs backend, spend through the
 * vetted cost queries (the same `spendBetween` as `/cost` and `/status`, so a budget incident and
 * the views agree), the cost policy, and a log line.
 */
export function createDetectorContext(deps: DetectorContextDeps): DetectorContext {
  const options = deps.runOptions ?? {};
  return {
    now: deps.now,
    cost: deps.cost,
    query: (id, params) => deps.logs.run(id, params, options),
    async spend(ask) {
      // The token-spend text is the condition the card shows; GPU-hours are PromQL beside it.
      let queryText = '';
      const logs: LogsBackend = {
        kind: deps.logs.kind,
        catalog: deps.logs.catalog,
        async run(id, params, o) {
          const run = await deps.logs.run(id, params, { ...o, ...options });
          if (id === 'token-spend') queryText = run.text;
          return run;
        },
      };
      const report = await spendBetween({ logs, metrics: deps.metrics }, deps.cost, ask);
      return { report, queryText };
    },
    note: (fields, message) => deps.logger?.info(fields, message),
  };
}
