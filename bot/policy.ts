import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { alertPolicySections } from '../core/alerts/alert-policy.ts';
import { ConfigError, describeIssue } from '../core/config-error.ts';
import { detectorsPolicy } from '../handlers/detectors/detectors-policy.ts';
import { chartPolicy } from '../handlers/gpu/chart-policy.ts';
import { oncallPolicy } from '../handlers/lifecycle/oncall-policy.ts';
import { pagingPolicy } from '../handlers/paging/paging-policy.ts';
import {
  logSourcesPolicy,
  privateQueriesPolicy,
  workspaceRetention,
} from '../handlers/queries/query-policy.ts';
import { inventoryPolicy } from '../handlers/questions/inventory-policy.ts';
import { rateLimitPolicy } from '../handlers/rate-limit/rate-limit-policy.ts';
import { viewsPolicy } from '../handlers/views/views-policy.ts';
import { costPolicySchema } from '../queries/cost/cost-policy.ts';
import { gpuThresholdPolicy } from '../queries/gpu/thresholds.ts';
import { DEFAULT_TOKEN_PRICES } from '../queries/kql/cost-per-team.ts';
import { priceTable } from '../queries/params.ts';
import { remediationPolicySchema } from '../remediation/policy.ts';

/** The optional policy file (YAML). Every field has a default; an empty file is a valid policy. */
export const policySchema = z
  .object({
    ...alertPolicySections,
    /** GPU thresholds (utilisation, framebuffer, temperature, ECC) and workload classes. */
    gpu: gpuThresholdPolicy.prefault({}),
    /** Human-approved remediations (remediation/policy.ts); present, it switches remediation on in production. */
    remediation: remediationPolicySchema.optional(),
    /** Paging, escalation and the P3 digest (handlers/paging/paging-policy.ts); present, it switches paging on. */
    paging: pagingPolicy.optional(),
    /** Who is on call: the escalation levels' rotations (handlers/lifecycle/oncall-policy.ts). */
    oncall: oncallPolicy.optional(),
    /** Token prices per deployment, USD per 1,000 tokens (replaces the reviewed defaults when given). */
    pricing: priceTable(DEFAULT_TOKEN_PRICES),
    /** GPU-hour prices per GPU model, namespace → team, budgets (queries/cost/cost-policy.ts). */
    cost: costPolicySchema.prefault({}),
    /** SLA target, latency SLO and the executive digest of the views (handlers/views/views-policy.ts). */
    views: viewsPolicy,
    /** Who may run private vetted queries (their output identifies people), in a direct message only. */
    privateQueries: privateQueriesPolicy.prefault({}),
    /** The log sources the workspace has (default: Application Insights only); local mode has all. */
    logSources: logSourcesPolicy,
    /** How far back the Log Analytics workspace keeps rows (default 30d): the longest query window. */
    retention: workspaceRetention,
    /** Per-user and global limits of /kql, /gpu and questions (handlers/rate-limit). */
    rateLimits: rateLimitPolicy,
    /** Names questions resolve to: discovery interval and look-back, extra names, aliases (handlers/questions/inventory-policy.ts). */
    inventory: inventoryPolicy,
    /** Chart rendering: threads, renders at once, the line behind them, the PNG cache (handlers/gpu/chart-policy.ts). */
    charts: chartPolicy,
    /** The bot's own detectors: on or off, schedule and tuning (handlers/detectors/detectors-policy.ts). */
    detectors: detectorsPolicy.prefault({}),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

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
  // One parse yields every section typed (the modules receive them as they are) and reports
  // every problem of the file at start-up, together.
  const result = policySchema.safeParse(raw);
  if (!result.success)
    throw new ConfigError(result.error.issues.map((issue) => describePolicyIssue(issue, origin)));
  return result.data;
}

/** The modules' own sections, whose problems read "file: section: field" like the modules' docs. */
const MODULE_SECTIONS: ReadonlySet<PropertyKey> = new Set(['remediation', 'paging', 'oncall']);

function describePolicyIssue(issue: z.core.$ZodIssue, origin: string): string {
  const [head, ...rest] = issue.path;
  if (head === undefined || !MODULE_SECTIONS.has(head) || rest.length === 0)
    return describeIssue(issue, origin);
  return describeIssue({ path: rest, message: issue.message }, `${origin}: ${String(head)}`);
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
