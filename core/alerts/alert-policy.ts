import { z } from 'zod';
import { durationMs } from '../duration.ts';
import { timeZoneSchema } from '../time-zone.ts';
import { alertKind, alertSource, tier } from './alert.ts';
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
