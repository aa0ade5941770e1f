import { z } from 'zod';
import { parseDuration } from '../../core/duration.ts';
import { deploymentFilter, kqlParamTypes, timeRange } from '../params.ts';

/**
 * The time grains the Azure Monitor Metrics API accepts (`interval`), as people type them. Any
 * other grain is refused by the service, so it is refused here first, naming the ones that work.
 */
const GRAINS = ['1m', '5m', '15m', '30m', '1h', '6h', '12h', '1d'] as const;

/** The metric time grain parameter: one of {@link GRAINS}, as milliseconds. */
export function metricInterval(def: (typeof GRAINS)[number] = '5m') {
  const form = `a time grain the Metrics API accepts: one of ${GRAINS.join(', ')}`;
  const schema = z
    .union([z.string(), z.number()])
    .default(def)
    .transform((v, ctx) => {
      const ms = typeof v === 'number' ? v : parseDuration(v.trim());
      if (ms === undefined || !GRAINS.some((g) => parseDuration(g) === ms)) {
        ctx.addIssue({ code: 'custom', message: `expected ${form}` });
        return z.NEVER;
      }
      return ms;
    });
  kqlParamTypes.add(schema, { kql: 'timespan', form });
  return schema;
}

/**
 * The parameters of every metric query: a time range (the Metrics API keeps 93 days; 3 days of
 * one-minute grains is what a card can use), a time grain the service accepts and an optional
 * deployment.
 */
export const metricParams = (def: { window: string; interval: Parameters<typeof metricInterval>[0] }) =>
  z.object({
    ...timeRange({ min: '5m', max: '3d', default: def.window }),
    interval: metricInterval(def.interval),
    deployment: deploymentFilter(),
  });

/** The validated parameters every metric query has. */
export type MetricParams = z.output<ReturnType<typeof metricParams>>;
