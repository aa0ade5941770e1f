import { z } from 'zod';
import type { AlertLink, AlertQuery, AlertSource, ParsedAlert } from '../../../core/alerts/alert.ts';
import { goInstant, isGoZeroTime } from './instant.ts';
import { fingerprintLabels, LIMITS, stringMap, urlText } from './limits.ts';
import { collectLinks } from './links.ts';
import { extractResource } from './resource.ts';

/** `firing` | `resolved`, as Alertmanager and Grafana spell it at both levels of the body. */
export const templateStatus = z.enum(['firing', 'resolved']);

/**
 * One alert of Alertmanager's `template.Data`, which Grafana's webhook reuses. `fingerprint` is
 * optional because Alertmanager before 0.19 did not send it.
 */
export const templateAlert = z.object({
  status: templateStatus,
  labels: stringMap,
  annotations: stringMap.default({}),
  startsAt: goInstant,
  endsAt: goInstant.nullish(),
  generatorURL: urlText.nullish(),
  fingerprint: z.string().max(LIMITS.keyLength).nullish(),
});
export type TemplateAlert = z.infer<typeof templateAlert>;

/** The group-level fields of `template.Data` shared by Alertmanager and Grafana. */
export const templateGroup = {
  receiver: z.string().max(LIMITS.keyLength).nullish(),
  status: templateStatus,
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  externalURL: urlText.nullish(),
  groupKey: z.string().min(1).max(LIMITS.valueLength),
  truncatedAlerts: z.number().int().min(0).default(0),
};

/** What a parser hands back besides the alerts: how many the sender cut (`max_alerts`). */
export interface IntakeBatch {
  alerts: ParsedAlert[];
  /** Alerts of the group the sender left out of this delivery; they are not in `alerts`. */
  truncatedAlerts: number;
}

/**
 * Normalises one template alert. The per-alert `status` decides firing/resolved: a firing alert's
 * `endsAt` is only the sender's expiry guess (Go zero time, or a future instant from Prometheus),
 * so it becomes null.
 */
export function normaliseTemplateAlert(
  alert: TemplateAlert,
  group: { source: AlertSource; groupKey: string; groupLabels: Record<string, string> },
  extraLinks: ReadonlyArray<readonly [AlertLink['kind'], string | null | undefined]> = [],
): ParsedAlert {
  const { labels, annotations } = alert;
  const rule = labels.alertname || group.groupLabels.alertname || 'unnamed alert';
  const summary = firstText(annotations.summary, annotations.message, annotations.title);
  const description = firstText(annotations.description);
  const endsAt =
    alert.status === 'resolved' && alert.endsAt && !isGoZeroTime(alert.endsAt) ? alert.endsAt : null;
  return {
    source: group.source,
    fingerprint: alert.fingerprint || fingerprintLabels(labels),
    groupKey: group.groupKey,
    rule,
    status: alert.status,
    sourceSeverity: firstText(labels.severity, labels.Severity),
    summary: summary ?? description ?? rule,
    description: summary === null ? null : description,
    labels,
    annotations,
    resource: extractResource(labels),
    startsAt: alert.startsAt,
    endsAt,
    links: collectLinks([
      ['runbook', annotations.runbook_url ?? annotations.runbook],
      ['generator', alert.generatorURL],
      ...extraLinks,
    ]),
    values: {},
    valueText: valueAnnotation(annotations),
    details: [],
    query: expressionOf(alert.generatorURL),
  };
}

/**
 * Annotation names rules use for `{{ $value }}`: Alertmanager's payload has no value field, so the
 * rule's own annotation is the only place the measured value travels.
 */
const VALUE_ANNOTATIONS = ['value', 'current_value', 'currentValue', 'metric_value', 'observed_value'];

function valueAnnotation(annotations: Readonly<Record<string, string>>): string | null {
  for (const key of VALUE_ANNOTATIONS) {
    const text = annotations[key]?.trim();
    if (text) return text.slice(0, 256);
  }
  return null;
}

/** Prometheus's generator URL carries the rule's expression as `g0.expr`; Grafana's does not. */
function expressionOf(generatorURL: string | null | undefined): AlertQuery | null {
  if (!generatorURL || !URL.canParse(generatorURL)) return null;
  const expr = new URL(generatorURL).searchParams.get('g0.expr')?.trim();
  return expr ? { language: 'promql', text: expr.slice(0, 8192) } : null;
}

function firstText(...candidates: (string | undefined)[]): string | null {
  for (const c of candidates) if (c !== undefined && c.trim() !== '') return c;
  return null;
}
