import { z } from 'zod';
import type { ParsedAlert } from '../../../core/alerts/alert.ts';
import { finaliseAlert } from './finalise.ts';
import { parsePayload } from './intake-error.ts';
import { LIMITS } from './limits.ts';
import { type IntakeBatch, normaliseTemplateAlert, templateAlert, templateGroup } from './template-alert.ts';

/** Body of an Alertmanager `webhook_config` notification (webhook version 4). Unknown fields are ignored. */
export const alertmanagerPayload = z.object({
  version: z.literal('4'),
  ...templateGroup,
  alerts: z.array(templateAlert).max(LIMITS.alertsPerPayload),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayload>;

/**
 * Parses an Alertmanager webhook body into normalised alerts, all or nothing.
 * @throws {IntakeParseError} `MALFORMED_PAYLOAD`, naming the first bad field (`alerts[1].status: …`).
 */
export function parseAlertmanagerBatch(body: unknown): IntakeBatch {
  const payload = parsePayload(alertmanagerPayload, body);
  const group = {
    source: 'alertmanager' as const,
    groupKey: payload.groupKey,
    groupLabels: payload.groupLabels,
  };
  return {
    alerts: payload.alerts.map((alert, i) =>
      finaliseAlert(normaliseTemplateAlert(alert, group), ['alerts', i]),
    ),
    truncatedAlerts: payload.truncatedAlerts,
  };
}

/** {@link parseAlertmanagerBatch} without the batch details. */
export function parseAlertmanager(body: unknown): ParsedAlert[] {
  return parseAlertmanagerBatch(body).alerts;
}
