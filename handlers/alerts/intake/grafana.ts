import { z } from 'zod';
import type { ParsedAlert } from '../../../core/alerts/alert.ts';
import { finaliseAlert } from './finalise.ts';
import { parsePayload } from './intake-error.ts';
import { LIMITS, urlText } from './limits.ts';
import { type IntakeBatch, normaliseTemplateAlert, templateAlert, templateGroup } from './template-alert.ts';

/** One alert of a Grafana-managed webhook: Alertmanager's alert plus Grafana's links and values. */
const grafanaAlert = templateAlert.extend({
  silenceURL: urlText.nullish(),
  dashboardURL: urlText.nullish(),
  panelURL: urlText.nullish(),
  imageURL: urlText.nullish(),
  values: z
    .record(z.string().max(LIMITS.keyLength), z.number().nullable())
    .refine((m) => Object.keys(m).length <= LIMITS.mapEntries, {
      message: `must have at most ${LIMITS.mapEntries} entries`,
    })
    .nullish(),
  /** Grafana 9.x only, e.g. `[ var='B' labels={} value=44.2 ]`. */
  valueString: z.string().max(LIMITS.valueLength).nullish(),
});

/**
 * Body of a Grafana-managed alerting webhook (`version: "1"`). `title`, `state` and `message` are
 * templated and marked for deprecation by Grafana, so they are accepted but not required.
 */
export const grafanaPayload = z.object({
  version: z.literal('1'),
  ...templateGroup,
  orgId: z.number().int().nullish(),
  title: z.string().max(LIMITS.valueLength).nullish(),
  state: z.string().max(64).nullish(),
  message: z.string().max(LIMITS.queryLength).nullish(),
  alerts: z.array(grafanaAlert).max(LIMITS.alertsPerPayload),
});
export type GrafanaPayload = z.infer<typeof grafanaPayload>;

/**
 * Parses a Grafana webhook body into normalised alerts, all or nothing.
 * @throws {IntakeParseError} `MALFORMED_PAYLOAD`, naming the first bad field.
 */
export function parseGrafanaBatch(body: unknown): IntakeBatch {
  const payload = parsePayload(grafanaPayload, body);
  const group = { source: 'grafana' as const, groupKey: payload.groupKey, groupLabels: payload.groupLabels };
  const alerts = payload.alerts.map((alert, i) => {
    const draft = normaliseTemplateAlert(alert, group, [
      ['silence', alert.silenceURL],
      ['dashboard', alert.dashboardURL],
      ['panel', alert.panelURL],
      ['image', alert.imageURL],
    ]);
    draft.values = alert.values ? finiteValues(alert.values) : parseValueString(alert.valueString ?? '');
    return finaliseAlert(draft, ['alerts', i]);
  });
  return { alerts, truncatedAlerts: payload.truncatedAlerts };
}

/** {@link parseGrafanaBatch} without the batch details. */
export function parseGrafana(body: unknown): ParsedAlert[] {
  return parseGrafanaBatch(body).alerts;
}

function finiteValues(values: Record<string, number | null>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(values))
    if (value !== null && Number.isFinite(value)) out[key] = value;
  return out;
}

const VALUE_STRING_ITEM = /\[\s*(?:var|metric)='([^']*)'\s+labels=\{[^}]*\}\s+value=([^\s\]]+)\s*\]/g;
const MAX_VALUE_STRING_ITEMS = 64;

/**
 * Reads Grafana 9's `valueString` (`[ var='B' labels={…} value=44.2 ], [ … ]`) into a values map.
 * An unnamed entry (`metric=''`) is keyed `value`; anything unreadable is skipped, not rejected.
 */
export function parseValueString(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  let count = 0;
  for (const m of text.matchAll(VALUE_STRING_ITEM)) {
    if (++count > MAX_VALUE_STRING_ITEMS) break;
    const value = Number(m[2]);
    if (!Number.isFinite(value)) continue;
    let key = m[1] || 'value';
    for (let n = 2; Object.hasOwn(out, key); n++) key = `${m[1] || 'value'}#${n}`;
    out[key] = value;
  }
  return out;
}
