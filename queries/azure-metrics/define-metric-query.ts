import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { kqlColumn, kqlHeadline, kqlShow } from '../kql/define-kql-query.ts';
import type { metricParams } from './metric-params.ts';

type MetricParamsSchema = ReturnType<typeof metricParams>;

/** The resource type whose platform metrics the vetted metric queries read. */
export const AZURE_OPENAI_NAMESPACE = 'Microsoft.CognitiveServices/accounts';

/** Dimensions of `Microsoft.CognitiveServices/accounts` metrics a vetted query may split by. */
export const metricDimension = z.enum(['StatusCode', 'IsSpillover']);
export type MetricDimension = z.infer<typeof metricDimension>;

/** How the service folds the samples of one time grain (the REST `aggregation` names). */
export const metricAggregation = z.enum(['total', 'average', 'maximum']);
export type MetricAggregation = z.infer<typeof metricAggregation>;

/** One platform metric read by a query and the result column it fills. */
export const metricRead = z.object({
  /** The REST name, e.g. `AzureOpenAIRequests` (never the display name). */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
  aggregation: metricAggregation,
  column: z.string().min(1),
});
export type MetricRead = z.infer<typeof metricRead>;

const definitionShape = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(3).max(80),
    description: z.string().min(10),
    examples: z.array(z.string().min(3)).min(2),
    /** The zod schema of the parameters (`metricParams`): the only definition of what a person may type. */
    params: z.instanceof(z.ZodObject),
    metrics: z.array(metricRead).min(1),
    /** A dimension every row is split by besides the deployment (one row per value). */
    splitBy: metricDimension.optional(),
    /** Adds `SharePct`: each row's share of its time grain and deployment (first metric). */
    share: z.boolean().default(false),
    /**
     * Result columns: `TimeGenerated`, `Deployment`, the split dimension, each metric's column,
     * and `SharePct` when asked for, in that order.
     */
    columns: z.array(kqlColumn).min(3),
    headline: kqlHeadline,
    show: kqlShow,
    /** What no rows means, when it is more than "nothing matched" (a series only some deployments have). */
    empty: z.string().min(10).optional(),
  })
  .superRefine((def, ctx) => {
    const expected = [
      'TimeGenerated',
      'Deployment',
      ...(def.splitBy ? [def.splitBy] : []),
      ...def.metrics.map((m) => m.column),
      ...(def.share ? ['SharePct'] : []),
    ];
    const actual = def.columns.map((c) => c.name);
    if (expected.join() !== actual.join())
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: `columns must be ${expected.join(', ')} (got ${actual.join(', ')})`,
      });
    if (def.share && def.splitBy === undefined)
      ctx.addIssue({ code: 'custom', path: ['share'], message: 'a share needs a split dimension' });
  });

/**
 * A vetted Azure Monitor metric query: which platform metrics of the Azure OpenAI resource it
 * reads, how they are aggregated and split, and how the result table reads in chat. The request
 * is built from the definition and typed parameters only; nothing a person types reaches the
 * request except a validated deployment name and time range.
 */
export interface MetricQuery extends Omit<z.output<typeof definitionShape>, 'params'> {
  params: MetricParamsSchema;
  /** Marks a metric query beside KQL ones in cards and evidence. */
  source: 'azure-metrics';
}

/** Defines a vetted metric query, checking its columns against what it reads at start-up. */
export function defineMetricQuery(
  def: Omit<z.input<typeof definitionShape>, 'params'> & { params: MetricParamsSchema },
): MetricQuery {
  const parsed = definitionShape.safeParse(def);
  if (!parsed.success)
    throw new AppError(
      'METRIC_QUERY_DEFINITION',
      `vetted metric query ${def.id}: ${z.prettifyError(parsed.error)}`,
    );
  return { ...parsed.data, params: def.params, source: 'azure-metrics' };
}
