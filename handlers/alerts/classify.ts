import {
  type Alert,
  type AlertKind,
  type ParsedAlert,
  type Tier,
  tier as tierSchema,
} from '../../core/alerts/alert.ts';
import type { AlertPolicy } from '../../core/alerts/alert-policy.ts';
import { matchesAll, parseMatcher } from '../../core/alerts/matchers.ts';
import { xidOfAlert } from '../../core/gpu/alert-xid.ts';
import { lookupXid } from '../../core/gpu/xid-catalog.ts';
import { budgetTier } from './budget-alert.ts';
import { detectKind, matchLabels } from './kinds.ts';

/**
 * Tiers of the operations guide, by alert kind. P1 pages (5-minute response), P2 goes to the
 * on-call channel (30 minutes), P3 waits for the next business day.
 */
const KIND_TIER: Partial<Record<AlertKind, Exclude<Tier, 'log'>>> = {
  outage: 'P1',
  'gpu-ecc': 'P1',
  'gpu-xid': 'P1',
  'cost-runaway': 'P1',
  'aoai-throttling': 'P2',
  'latency-slo': 'P2',
  'gpu-temperature': 'P2',
  'gpu-memory': 'P2',
  'error-spike': 'P2',
  'quota-approaching': 'P3',
  'cost-forecast': 'P3',
  'model-regression': 'P2',
  'data-freshness': 'P2',
  abuse: 'P2',
  'detector-blind-spot': 'P3',
};

/**
 * "Never page for" rules of the guide: recorded and counted, never a card. Policy rules come
 * first, so a team that does want one of these can lift it with a rule of its own.
 */
const LOG_ONLY_RULES = [
  { name: 'single 429s', match: [parseMatcher('alertname=~(?i).*single.?429.*')] },
  { name: 'GPU utilisation fluctuation', match: [parseMatcher('alertname=~(?i).*util.*fluctuat.*')] },
  { name: 'cold-start latency spike', match: [parseMatcher('alertname=~(?i).*cold.?start.*')] },
  { name: 'token use within budget', match: [parseMatcher('alertname=~(?i).*token.*within.*budget.*')] },
];

/** Source severities, lower-cased: Azure Sev0–4 and the Prometheus/Grafana convention. */
const SEVERITY_TIER: Record<string, Tier> = {
  sev0: 'P1',
  sev1: 'P1',
  sev2: 'P2',
  sev3: 'P3',
  sev4: 'P3',
  critical: 'P1',
  page: 'P1',
  error: 'P2',
  warning: 'P2',
  info: 'P3',
  informational: 'P3',
  none: 'log',
};

/**
 * Decides an alert's tier: policy rule > `tier` label > built-in rules (an XID alert that names its
 * XID: the catalog's tier for it; an actual-spend budget alert: over its budget or not; else by
 * kind) > source severity.
 */
function decideTier(a: ParsedAlert, kind: AlertKind, policy: AlertPolicy): { tier: Tier; reason: string } {
  const labels = matchLabels(a);
  for (const rule of policy.tiers.rules) {
    if (matchesAll(rule.match, labels)) return { tier: rule.tier, reason: `policy rule "${rule.name}"` };
  }
  const label = tierSchema.safeParse(
    a.labels.tier?.toUpperCase() === 'LOG' ? 'log' : a.labels.tier?.toUpperCase(),
  );
  if (label.success) return { tier: label.data, reason: 'tier label' };
  for (const rule of LOG_ONLY_RULES) {
    if (matchesAll(rule.match, labels)) return { tier: 'log', reason: `never page for ${rule.name}` };
  }
  if (kind === 'gpu-xid') {
    const xid = xidOfAlert(a);
    const entry = xid === undefined ? undefined : lookupXid(xid);
    if (entry) return { tier: entry.tier, reason: `XID ${xid} is ${entry.tier} in the XID catalog` };
    // Named but unknown: worth a look this shift, as the shipped rules say; unnamed stays P1 by kind.
    if (xid !== undefined) return { tier: 'P2', reason: `XID ${xid} is not in the XID catalog` };
  }
  const budget = budgetTier(a, kind);
  if (budget) return budget;
  const byKind = KIND_TIER[kind];
  if (byKind) return { tier: byKind, reason: `${kind} alerts are ${byKind}` };
  const severity = a.sourceSeverity?.toLowerCase();
  if (severity) {
    const mapped = policy.tiers.severity[severity] ?? SEVERITY_TIER[severity];
    if (mapped) return { tier: mapped, reason: `severity ${a.sourceSeverity}` };
  }
  // Unknown alerts are shown, not hidden: an unrecognised alert still reaches the channel.
  return { tier: 'P2', reason: 'no recognised kind or severity' };
}

/** Adds the bot's kind and tier to a parsed alert. Pure: same input, same answer. */
export function classifyAlert(a: ParsedAlert, policy: AlertPolicy): Alert {
  const kind = detectKind(a, policy);
  const { tier, reason } = decideTier(a, kind, policy);
  return { ...a, kind, tier, tierReason: reason };
}
