import { z } from 'zod';
import { durationMs } from '../../core/duration.ts';
import type { Detector } from './detector.ts';
import { DETECTORS } from './detector-list.ts';

const MINUTE = 60_000;

/** One detector's entry in the policy file: on or off, how often, its tier and its tuning. */
const detectorRule = z
  .object({
    enabled: z.boolean().optional(),
    every: durationMs({ min: MINUTE, max: 24 * 60 * MINUTE }).optional(),
    tier: z.enum(['P1', 'P2', 'P3']).optional(),
    /** The detector's own parameters (its zod schema checks them): thresholds, windows, minimum samples. */
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/**
 * The policy file's `detectors`: the bot's own watchers (handlers/detectors). On by default with
 * the reviewed tuning; `rules.<id>` turns one off or tunes it. The first run waits `firstRunAfter`
 * after start so start-up work (the local engine building its tables, the first evidence) goes
 * first; an incident resolves after `clearAfterRuns` runs in a row found its condition clear.
 */
export const detectorsPolicy = z
  .object({
    enabled: z.boolean().default(true),
    firstRunAfter: durationMs({ min: 0, max: 60 * MINUTE }).prefault('2m'),
    clearAfterRuns: z.number().int().min(1).max(10).default(2),
    rules: z.record(z.string(), detectorRule).default({}),
  })
  .strict()
  .superRefine((policy, ctx) => {
    for (const [id, rule] of Object.entries(policy.rules)) {
      const detector = DETECTORS.find((d) => d.id === id);
      if (!detector) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', id],
          message: `there is no detector "${id}"; the detectors are ${DETECTORS.map((d) => d.id).join(', ')}`,
        });
        continue;
      }
      if (rule.tier && detector.findingTiers)
        ctx.addIssue({
          code: 'custom',
          path: ['rules', id, 'tier'],
          message: `${id} sets each finding's tier (${detector.findingTiers}); leave tier out`,
        });
      const params = detector.params.safeParse(rule.params);
      if (!params.success)
        for (const issue of params.error.issues)
          ctx.addIssue({
            code: 'custom',
            path: ['rules', id, 'params', ...issue.path],
            message: issue.message,
          });
    }
  });
export type DetectorsPolicy = z.output<typeof detectorsPolicy>;

/** A detector as the policy tunes it. */
export interface ConfiguredDetector {
  detector: Detector;
  params: Record<string, unknown>;
  everyMs: number;
  tier: Detector['tier'];
}

/** The detectors the policy leaves on, with their parameters parsed and their schedule. */
export function configuredDetectors(
  policy: DetectorsPolicy,
  all: readonly Detector[] = DETECTORS,
): ConfiguredDetector[] {
  if (!policy.enabled) return [];
  return all.flatMap((detector) => {
    const rule = policy.rules[detector.id];
    if (rule?.enabled === false) return [];
    return [
      {
        detector,
        params: detector.params.parse(rule?.params ?? {}) as Record<string, unknown>,
        everyMs: rule?.every ?? detector.everyMs,
        tier: rule?.tier ?? detector.tier,
      },
    ];
  });
}
