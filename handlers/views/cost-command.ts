import { z } from 'zod';
import { costCard } from '../../cards/templates/cost-card.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import { type CostPolicy, deploymentNameText, teamName } from '../../queries/cost/cost-policy.ts';
import { spendBetween } from '../../queries/cost/spend-report.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import { rangeWord, resolveRange } from './view-range.ts';

export interface CostCommandDeps {
  logs: LogsBackend;
  metrics: MetricsBackend | undefined;
  cost: CostPolicy;
  /** Deployments with a price: a bare name that is one of them is a deployment, else a team. */
  pricedDeployments: readonly string[];
  /** The workspace retention, ms: the oldest instant a range may start at. */
  retentionMs: number;
  /** Reports how long the cost queries took (the bot's query-latency metric). */
  onTimed?: (ms: number) => void;
}

const RANGE_WORD = /^(today|month|\d+[smhdw])$/i;

/**
 * `/cost [team|deployment] [range]`: a bare name is a deployment when the price table lists it,
 * else a team; `team=` and `deployment=` say it outright. The range is `today`, `month` or a
 * look-back (`7d`); today by default.
 */
export function costArgs(priced: readonly string[]) {
  return z
    .object({
      positional: z.array(z.string()).max(2, 'give at most a name and a range, like /cost support 7d'),
      named: z
        .object({
          team: teamName.optional(),
          deployment: deploymentNameText.optional(),
          range: rangeWord.optional(),
        })
        .strict(),
    })
    .transform(({ positional, named }, ctx) => {
      let range = named.range;
      let name: string | undefined;
      for (const token of positional) {
        if (RANGE_WORD.test(token) && range === undefined) range = token;
        else if (name === undefined) name = token;
        else
          ctx.addIssue({
            code: 'custom',
            message: `"${token.slice(0, 40)}": one name only`,
            path: ['positional'],
          });
      }
      const parsedRange = rangeWord.safeParse(range ?? 'today');
      if (!parsedRange.success) {
        ctx.addIssue({ code: 'custom', path: ['range'], message: parsedRange.error.issues[0]!.message });
        return z.NEVER;
      }
      let { team, deployment } = named;
      if (name !== undefined) {
        const asName = teamName.safeParse(name);
        if (!asName.success) {
          ctx.addIssue({ code: 'custom', path: ['positional'], message: asName.error.issues[0]!.message });
          return z.NEVER;
        }
        if (priced.includes(name)) deployment ??= name;
        else team ??= name;
      }
      if (team && deployment) {
        ctx.addIssue({
          code: 'custom',
          path: ['team'],
          message: 'ask for one team or one deployment, not both',
        });
        return z.NEVER;
      }
      return { team, deployment, range: parsedRange.data };
    });
}

export function createCostCommand(deps: CostCommandDeps): CommandHandler {
  return defineCommand({
    id: 'cost',
    usage: '/cost [team|deployment] [today|month|7d]',
    description:
      'Spend by team, deployment, model and GPU model: tokens × the price table and GPU-hours × the GPU price.',
    args: costArgs(deps.pricedDeployments),
    async handle({ args }, handlerDeps) {
      const now = handlerDeps.clock.now();
      const range = resolveRange(args.range, now, now - deps.retentionMs + 60_000);
      const started = performance.now();
      const report = await spendBetween({ logs: deps.logs, metrics: deps.metrics }, deps.cost, {
        startMs: range.startMs,
        endMs: range.endMs,
        bucket: range.bucket,
        team: args.team,
        deployment: args.deployment,
      });
      const queryMs = performance.now() - started;
      deps.onTimed?.(queryMs);
      return costCard({
        report,
        rangeLabel: range.label,
        time: { timeZone: handlerDeps.policy.timeZone, now },
        queryMs,
      });
    },
  });
}
