import { type AlertKind, alertKind, type ParsedAlert } from '../../core/alerts/alert.ts';
import type { AlertPolicy } from '../../core/alerts/alert-policy.ts';
import { matchesAll } from '../../core/alerts/matchers.ts';
import { budgetKind } from './budget-alert.ts';

/**
 * Built-in recognisers, most specific first: a rule name, Prometheus metric or Azure metric that
 * mentions one of these words is about that kind. Policy `kinds` rules are tried before these, and
 * an explicit `kind` label wins over both.
 */
const BUILT_IN: ReadonlyArray<[AlertKind, RegExp]> = [
  ['outage', /outage|zero.?success|no.?successful|deployment.?down|endpoint.?down/i],
  ['gpu-ecc', /ecc|dbe|remapp?ed.?rows|row.?remap/i],
  ['gpu-xid', /\bxid|gpu.?xid|xid.?error/i],
  ['cost-runaway', /cost.?runaway|over.?budget|budget.?exceeded|spend.?spike/i],
  ['token-budget', /token.?budget/i],
  ['cost-forecast', /forecast/i],
  ['quota-approaching', /quota|tpm.?(usage|used|limit)/i],
  ['aoai-throttling', /429|throttl|rate.?limit/i],
  ['latency-slo', /latency|p9[59]|slo|time.?to.?(first.?token|response)|ttft/i],
  ['gpu-temperature', /gpu.?temp|temperature|thermal|overheat/i],
  ['gpu-memory', /gpu.?mem|framebuffer|fb.?used|gpu.?oom/i],
  ['gpu-utilisation', /gpu.?util|idle.?gpu|underutili/i],
  ['error-spike', /error.?rate|error.?spike|5xx|failure.?rate/i],
  ['network', /nvlink|infiniband|\bib.?(link|port)/i],
];

/** The text the built-in recognisers look at: rule, alertname and metric names. */
function signature(a: ParsedAlert): string {
  return [a.rule, a.labels.alertname, a.labels.__name__, a.labels.metricName, a.annotations.metricName]
    .filter(Boolean)
    .join(' ');
}

/** Label view used by policy matchers: the alert's labels plus `alertname` and `source`. */
export function matchLabels(a: ParsedAlert): Record<string, string> {
  return { alertname: a.rule, source: a.source, ...a.labels };
}

export function detectKind(a: ParsedAlert, policy: AlertPolicy): AlertKind {
  const explicit = alertKind.safeParse(a.labels.kind);
  if (explicit.success) return explicit.data;
  const labels = matchLabels(a);
  for (const rule of policy.kinds) if (matchesAll(rule.match, labels)) return rule.kind;
  const text = signature(a);
  // Azure's 429 metric alert names no throttling: it is AzureOpenAIRequests filtered on StatusCode.
  if (a.labels.StatusCode === '429') return 'aoai-throttling';
  // Budget alerts are named after the budget ("ai-inference-daily"): their threshold type says what they are.
  const budget = budgetKind(a);
  if (budget) return budget;
  for (const [kind, pattern] of BUILT_IN) if (pattern.test(text)) return kind;
  return 'other';
}
