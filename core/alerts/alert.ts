import { z } from 'zod';

/** The senders the bot has a webhook for: one value per intake endpoint. */
export const intakeSource = z.enum(['alertmanager', 'azure-monitor', 'grafana']);
export type IntakeSource = z.infer<typeof intakeSource>;

/**
 * Where an alert came from: an intake endpoint, or the bot's own detectors (handlers/detectors),
 * which no webhook can claim to be.
 */
export const alertSource = z.enum([...intakeSource.options, 'detector']);
export type AlertSource = z.infer<typeof alertSource>;

/**
 * Response tiers of the operations guide. `log` is the "never page" tier: the alert is stored and
 * counted but never opens an incident or a card.
 */
export const tier = z.enum(['P1', 'P2', 'P3', 'log']);
export type Tier = z.infer<typeof tier>;

export const alertStatus = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof alertStatus>;

/** ISO-8601 instant, always UTC with milliseconds, as produced by `Date#toISOString`. */
export const isoInstant = z.iso.datetime({ offset: false });

/** What the alert is about, lifted out of labels/dimensions so templates and policy need not guess. */
export const alertResource = z
  .object({
    cluster: z.string(),
    node: z.string(),
    gpu: z.string(),
    namespace: z.string(),
    pod: z.string(),
    deployment: z.string(),
    model: z.string(),
    modelVersion: z.string(),
    appRole: z.string(),
    azureResourceId: z.string(),
  })
  .partial();
export type AlertResource = z.infer<typeof alertResource>;

export const alertLink = z.object({
  kind: z.enum(['runbook', 'generator', 'portal', 'silence', 'dashboard', 'panel', 'image', 'search']),
  url: z.url(),
});
export type AlertLink = z.infer<typeof alertLink>;

/** One thing the sender's own UI shows about an alert (activity-log caller, smart-detector normal value…). */
export const alertDetail = z.object({ label: z.string().min(1).max(64), value: z.string().max(1024) });
export type AlertDetail = z.infer<typeof alertDetail>;

/** The rule's condition as the sender evaluates it: a PromQL expression or a KQL search query. */
export const alertQuery = z.object({
  language: z.enum(['promql', 'kql']),
  text: z.string().min(1).max(8192),
});
export type AlertQuery = z.infer<typeof alertQuery>;

/**
 * One alert as a source reported it, normalised. Parsers produce this; `classify` adds `kind` and
 * `tier` to make an {@link Alert}.
 */
export const parsedAlert = z.object({
  source: alertSource,
  /** Stable identity of one alert instance within its source (AM/Grafana fingerprint, Azure alertId). */
  fingerprint: z.string().min(1).max(512),
  /** The sender's notion of a notification group (AM groupKey; Azure rule + targets). */
  groupKey: z.string().min(1).max(2048),
  rule: z.string().min(1).max(512),
  status: alertStatus,
  /** Severity exactly as the source spelled it (`critical`, `Sev2`, …), or null. */
  sourceSeverity: z.string().max(64).nullable(),
  summary: z.string().max(2048),
  description: z.string().max(8192).nullable(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  resource: alertResource,
  startsAt: isoInstant,
  /** When the source says the alert ended; null while firing (Go zero time and future ends are dropped). */
  endsAt: isoInstant.nullable(),
  links: z.array(alertLink),
  /** Measured values that triggered the alert (Grafana `values`, Azure `metricValue`). */
  values: z.record(z.string(), z.number()),
  /**
   * The value as the sender wrote it when it is not just numbers (`$value` annotations, managed
   * Prometheus `expressionValue`, smart detectors' `0.45 sec`). Defaults keep older stored alerts valid.
   */
  valueText: z.string().max(256).nullable().default(null),
  /** Sender facts an engineer would look for in the sender's UI, in the order to show them. */
  details: z.array(alertDetail).max(32).default([]),
  /** The rule's expression or search query, shown as code. */
  query: alertQuery.nullable().default(null),
});
export type ParsedAlert = z.infer<typeof parsedAlert>;

/** What an alert is about, in the bot's own vocabulary; drives tiers, evidence and remediations. */
export const alertKind = z.enum([
  'outage',
  'gpu-ecc',
  'gpu-xid',
  'cost-runaway',
  'aoai-throttling',
  'latency-slo',
  'gpu-temperature',
  'gpu-memory',
  'error-spike',
  'quota-approaching',
  'cost-forecast',
  'gpu-utilisation',
  'token-budget',
  'network',
  /** A blind spot: an exporter down, GPUs or fields missing, a node condition (shipped gpu-coverage rules). */
  'gpu-coverage',
  /** The bot's drift detector: a model version answers worse than the one before it. */
  'model-regression',
  /** A data pipeline (RAG index, embeddings) stopped succeeding, or its failures rose. */
  'data-freshness',
  /** Jailbreak flags, tokens or requests of one caller far over their baseline. */
  'abuse',
  /** A detector of the bot that cannot run: what it watches is not watched. */
  'detector-blind-spot',
  'other',
]);
export type AlertKind = z.infer<typeof alertKind>;

export const alert = parsedAlert.extend({
  kind: alertKind,
  tier,
  /** Why this tier: the policy rule or mapping that decided it, shown on the card. */
  tierReason: z.string(),
});
export type Alert = z.infer<typeof alert>;

/** The stored form of an alert; equal text means an identical alert (re-deliveries). */
export function serializeAlert(a: Alert): string {
  return JSON.stringify(a);
}
