import { z } from 'zod';
import { durationMs } from '../duration.ts';
import { timeZoneSchema } from '../time-zone.ts';
import { alertKind, alertResource, alertSource, tier } from './alert.ts';
import { matcherString } from './matchers.ts';
import { stormPolicySchema } from './storm.ts';

const MINUTE = 60_000;

/** A rule of the policy file: when every matcher holds, the alert gets this tier. */
const tierRule = z.object({
  name: z.string().min(1),
  match: z.array(matcherString).min(1),
  tier,
});

const kindRule = z.object({
  kind: alertKind,
  match: z.array(matcherString).min(1),
});

const grouping = z.object({
  /**
   * Labels that form the incident key for this source. Empty: use the sender's own group
   * (Alertmanager/Grafana groupKey, Azure rule + targets).
   */
  by: z.array(z.string().min(1)).default([]),
});

/**
 * Alerts of these kinds about the same resource are one problem, whatever their rule or severity
 * (GpuTemperatureHigh and GpuTemperatureCritical on one GPU; an ECC error and its XID 48), so they
 * join one incident even when the sender sent them as separate groups.
 */
const problemGroup = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a short lower-case name, like gpu-temperature'),
  kinds: z.array(alertKind).min(1),
  /** The resource fields that name the resource; an alert lacking one keeps its sender's group. */
  by: z.array(alertResource.keyof()).min(1),
});

const GPU = ['node', 'gpu'] as const;
const DEFAULT_PROBLEMS: z.input<typeof problemGroup>[] = [
  { name: 'gpu-temperature', kinds: ['gpu-temperature'], by: [...GPU] },
  { name: 'gpu-memory', kinds: ['gpu-memory'], by: [...GPU] },
  { name: 'gpu-utilisation', kinds: ['gpu-utilisation'], by: [...GPU] },
  { name: 'gpu-errors', kinds: ['gpu-ecc', 'gpu-xid'], by: [...GPU] },
];

/**
 * The sections of the policy file that decide what an alert becomes: its tier and kind, the
 * incident it joins, flapping, storms and silences. The bot's policy schema is these plus the
 * modules' own sections; the alert pipeline needs only these.
 */
export const alertPolicySections = {
  /** IANA time zone for times shown on cards. */
  timeZone: timeZoneSchema.default('UTC'),
  tiers: z
    .object({
      /** Checked in order before the built-in rules; first match wins. */
      rules: z.array(tierRule).default([]),
      /** Source severity (lower-cased) → tier, merged over the built-in mapping. */
      severity: z.record(z.string(), tier).default({}),
    })
    .prefault({}),
  /** Extra kind recognisers, checked before the built-in ones. */
  kinds: z.array(kindRule).default([]),
  grouping: z.partialRecord(alertSource, grouping).default({}),
  problems: z
    .object({
      /**
       * One incident per problem: see {@link problemGroup}. A source with `grouping.<source>.by`
       * set keeps that grouping. `[]` turns problem grouping off.
       */
      groups: z
        .array(problemGroup)
        .default(DEFAULT_PROBLEMS)
        .refine((gs) => new Set(gs.flatMap((g) => g.kinds)).size === gs.flatMap((g) => g.kinds).length, {
          message: 'an alert kind may belong to one problem group only',
        }),
      /**
       * `firing`: an incident's tier is the worst tier among its firing alerts, so it escalates
       * when the critical alert joins and steps back down when only the warning still fires.
       * `worst`: the worst tier it ever had (it never steps down).
       */
      tierFollows: z.enum(['firing', 'worst']).default('firing'),
    })
    .prefault({}),
  flap: z
    .object({
      /** An alert that re-fires within this window after resolving is flapping: same card, no new post. */
      window: durationMs({ min: MINUTE, max: 24 * 60 * MINUTE }).default(15 * MINUTE),
    })
    .prefault({}),
  /**
   * Storm mode: when more than `threshold` incidents open within `windowSeconds`, new ones fold
   * into one storm card until none opened for `quietSeconds`. `threshold: 0` turns it off.
   */
  storm: stormPolicySchema.prefault({}),
  silences: z
    .object({
      defaultDuration: durationMs({ min: MINUTE, max: 30 * 24 * 60 * MINUTE }).default(60 * MINUTE),
      maxDuration: durationMs({ min: MINUTE }).default(14 * 24 * 60 * MINUTE),
    })
    .prefault({}),
};

export const alertPolicySchema = z.object(alertPolicySections);
export type AlertPolicy = z.infer<typeof alertPolicySchema>;
