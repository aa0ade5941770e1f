import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { alertKind, alertSource, tier } from '../handlers/alerts/alert.ts';
import { matcherString } from '../handlers/alerts/matchers.ts';
import { pagingPolicy } from '../handlers/paging/paging-policy.ts';
import { privateQueriesPolicy } from '../handlers/queries/query-policy.ts';
import { rateLimitPolicy } from '../handlers/rate-limit/rate-limit-policy.ts';
import { gpuThresholdPolicy } from '../queries/gpu/thresholds.ts';
import { DEFAULT_TOKEN_PRICES } from '../queries/kql/cost-per-team.ts';
import { priceTable } from '../queries/params.ts';
import { remediationPolicySchema } from '../remediation/policy.ts';
import { ConfigError, describeIssues } from './config-error.ts';
import { durationMs } from './duration.ts';

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

/** The optional policy file (YAML). Every field has a default; an empty file is a valid policy. */
export const policySchema = z
  .object({
    /** IANA time zone for times shown on cards. */
    timeZone: z
      .string()
      .default('UTC')
      .refine(isTimeZone, { message: 'is not an IANA time zone such as Europe/Amsterdam or UTC' }),
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
    /** GPU thresholds (utilisation, framebuffer, temperature, ECC) and workload classes. */
    gpu: gpuThresholdPolicy.prefault({}),
    /** Human-approved remediations (remediation/policy.ts validates this section). */
    remediation: z.unknown().optional(),
    /** Paging, escalation and the P3 digest (handlers/paging/paging-policy.ts validates this section). */
    paging: z.unknown().optional(),
    /** Token prices per deployment, USD per 1,000 tokens (replaces the reviewed defaults when given). */
    pricing: priceTable(DEFAULT_TOKEN_PRICES),
    /** Who may run private vetted queries (their output identifies people), in a direct message only. */
    privateQueries: privateQueriesPolicy.prefault({}),
    /**
     * Storm mode: when more than `threshold` incidents open within `windowSeconds`, new ones fold
     * into one storm card until none opened for `quietSeconds`. `threshold: 0` turns it off.
     */
    storm: z
      .object({
        threshold: z.number().int().min(0).max(10_000).default(10),
        windowSeconds: z.number().int().min(1).max(86_400).default(120),
        quietSeconds: z.number().int().min(1).max(86_400).default(300),
        /** Tiers that always get their own card, storm or not. */
        exemptTiers: z.array(tier.exclude(['log'])).default(['P1']),
      })
      .strict()
      .prefault({}),
    /** Per-user and global limits of /kql, /gpu and questions (handlers/rate-limit). */
    rateLimits: rateLimitPolicy,
    silences: z
      .object({
        defaultDuration: durationMs({ min: MINUTE, max: 30 * 24 * 60 * MINUTE }).default(60 * MINUTE),
        maxDuration: durationMs({ min: MINUTE }).default(14 * 24 * 60 * MINUTE),
      })
      .prefault({}),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The policy used when no file is given. */
export function defaultPolicy(): Policy {
  return policySchema.parse({});
}

/** Parses policy YAML text; problems name the path in the file and how to fix it. */
export function parsePolicy(text: string, origin = 'policy file'): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError([`${origin}: not valid YAML (${(err as Error).message.split('\n')[0]})`]);
  }
  const result = policySchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(result.error, origin));
  // The modules' own sections are parsed again when the modules start; checking them here too
  // reports every problem of the file at start-up, together.
  const problems = [
    ...sectionProblems(remediationPolicySchema, result.data.remediation, `${origin}: remediation`),
    ...sectionProblems(pagingPolicy, result.data.paging, `${origin}: paging`),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data;
}

function sectionProblems(schema: z.ZodType, section: unknown, origin: string): string[] {
  if (section === undefined) return [];
  const checked = schema.safeParse(section);
  return checked.success ? [] : describeIssues(checked.error, origin);
}

export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `POLICY_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}). Fix the path or unset POLICY_FILE to use the defaults.`,
    ]);
  }
  return parsePolicy(text, path);
}
