import { z } from 'zod';
import { azureInstant } from './instant.ts';
import { LIMITS, truncate, urlText } from './limits.ts';

const shortText = z.string().max(LIMITS.keyLength);
const armId = z.string().max(2048);

/**
 * `data.essentials` of the common alert schema. Only `alertId`, `monitorCondition` and
 * `firedDateTime` are required: budget (cost) alerts send `alertRule`, `severity`, `signalType`
 * and `alertTargetIDs` as null.
 */
export const azureEssentials = z.object({
  alertId: z.string().min(1).max(2048),
  alertRule: z.string().max(1024).nullish(),
  severity: z.enum(['Sev0', 'Sev1', 'Sev2', 'Sev3', 'Sev4']).nullish(),
  signalType: shortText.nullish(),
  monitorCondition: z.enum(['Fired', 'Resolved']),
  monitoringService: shortText.nullish(),
  alertTargetIDs: z.array(armId).max(LIMITS.listItems).nullish(),
  configurationItems: z.array(z.string().max(2048)).max(LIMITS.listItems).nullish(),
  originAlertId: z.string().max(2048).nullish(),
  firedDateTime: azureInstant,
  resolvedDateTime: azureInstant.nullish(),
  description: z.string().max(LIMITS.valueLength).nullish(),
  /** The docs table and the samples disagree on the casing; both are accepted. */
  alertRuleID: armId.nullish(),
  alertRuleId: armId.nullish(),
  investigationLink: urlText.nullish(),
  targetResourceGroup: shortText.nullish(),
  targetResourceType: shortText.nullish(),
  essentialsVersion: shortText.nullish(),
  alertContextVersion: shortText.nullish(),
});
export type AzureEssentials = z.infer<typeof azureEssentials>;

const MAX_PROPERTY_ENTRIES = 64;
const MAX_PROPERTY_LENGTH = 1024;

/**
 * Free-form key/value pairs (custom properties, activity-log `properties`, budget `AlertData`).
 * Scalars are kept as text, nested values are skipped: these maps only decorate an alert.
 */
export const azureProperties = z.record(z.string(), z.unknown()).transform((map) => {
  const out: Record<string, string> = {};
  let kept = 0;
  for (const [key, value] of Object.entries(map)) {
    if (kept >= MAX_PROPERTY_ENTRIES) break;
    if (key.length > LIMITS.keyLength) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    out[key] = truncate(String(value), MAX_PROPERTY_LENGTH);
    kept += 1;
  }
  return out;
});

/**
 * The common-alert-schema envelope. `alertContext` differs per kind of alert; it is checked
 * separately once `conditionType`/`monitoringService` say which shape to expect.
 */
export const azureEnvelope = z.object({
  schemaId: z.literal('azureMonitorCommonAlertSchema'),
  data: z.object({
    essentials: azureEssentials,
    alertContext: z.record(z.string(), z.unknown()).nullish(),
    customProperties: azureProperties.nullish(),
  }),
});
