import type { AlertLink, ParsedAlert } from '../../../core/alerts/alert.ts';
import { summariseCriteria } from './azure-condition.ts';
import { readAlertContext } from './azure-context-reading.ts';
import { type AzureEssentials, azureEnvelope } from './azure-payload.ts';
import { finaliseAlert } from './finalise.ts';
import { parsePayload } from './intake-error.ts';
import { LIMITS } from './limits.ts';
import { collectLinks } from './links.ts';
import { extractResource } from './resource.ts';

const PORTAL_ALERT_BLADE =
  'https://portal.azure.com/#blade/Microsoft_Azure_Monitoring/AlertDetailsTemplateBlade/alertId/';

/**
 * Parses an Azure Monitor action-group webhook body (common alert schema) into one normalised
 * alert: metric alerts (static and dynamic thresholds), Log Alerts V2 (including simple log
 * alerts), legacy v1 log alerts, and any other alert type from what its essentials say.
 *
 * The fingerprint is `essentials.alertId`, the same in the Fired and the Resolved notification;
 * the group key is the rule name plus the sorted, lower-cased target resource ids.
 * @throws {IntakeParseError} `MALFORMED_PAYLOAD`, naming the bad field (`data.essentials.monitorCondition: …`).
 */
export function parseAzureMonitor(body: unknown): ParsedAlert[] {
  const { data } = parsePayload(azureEnvelope, body);
  const e = data.essentials;
  const context = readAlertContext(e, data.alertContext ?? null);
  const condition = summariseCriteria(context.criteria, context.windowSize);
  // Budget alerts have no rule: the budget's name is what Cost Management lists them by.
  const rule = e.alertRule || context.annotations.BudgetName || e.monitoringService || 'Azure Monitor alert';
  const targets = e.alertTargetIDs ?? [];

  const labels: Record<string, string> = {};
  const putLabel = (name: string, value: string | null | undefined) => {
    if (value && !Object.hasOwn(labels, name) && Object.keys(labels).length < LIMITS.mapEntries)
      labels[name] = value;
  };
  putLabel('alertname', rule);
  putLabel('monitoringService', e.monitoringService);
  putLabel('signalType', e.signalType);
  for (const { name, value } of context.labels) putLabel(name, value);

  const annotations = { ...data.customProperties, ...context.annotations, ...condition.annotations };
  const ruleId = e.alertRuleID || e.alertRuleId;
  if (ruleId) annotations.alertRuleId = ruleId;
  if (e.originAlertId) annotations.originAlertId = e.originAlertId;

  const resource = extractResource(labels);
  // A log alert's target is the workspace; an `_ResourceId` dimension names the resource itself.
  const azureResourceId = resource.azureResourceId ?? targets[0];
  if (azureResourceId) resource.azureResourceId = azureResourceId;

  // Azure lists an alert by its rule name, so that is the title; the rule's description, the
  // rule's own summary (managed Prometheus) and the condition lines are the text under it.
  const text = [
    e.description,
    context.annotations.summary,
    context.annotations.description,
    ...condition.lines,
  ];
  const description = [...new Set(text.map((t) => t?.trim()).filter((t): t is string => !!t))];
  const draft: ParsedAlert = {
    source: 'azure-monitor',
    fingerprint: e.alertId,
    groupKey: groupKeyOf(rule, targets),
    rule,
    status: e.monitorCondition === 'Fired' ? 'firing' : 'resolved',
    sourceSeverity: e.severity ?? null,
    summary: rule,
    description: description.length ? description.join('\n') : null,
    labels,
    annotations,
    resource,
    startsAt: e.firedDateTime,
    endsAt: e.monitorCondition === 'Resolved' ? (e.resolvedDateTime ?? null) : null,
    links: collectLinks([...portalLinks(e), ...context.links]),
    values: condition.values,
    valueText: context.valueText,
    details: context.details,
    query: context.query,
  };
  return [finaliseAlert(draft, ['data'])];
}

function groupKeyOf(rule: string, targets: readonly string[]): string {
  const sorted = [...new Set(targets.map((t) => t.toLowerCase()))].sort();
  return `${rule}|${sorted.join(',')}`;
}

/** The sender's `investigationLink` when it is usable, else the portal's alert page built from the alert id. */
function portalLinks(e: AzureEssentials): [AlertLink['kind'], string][] {
  const given = collectLinks([['portal', e.investigationLink]]);
  if (given.length) return given.map((l) => [l.kind, l.url]);
  if (!e.alertId.startsWith('/subscriptions/')) return [];
  return [['portal', PORTAL_ALERT_BLADE + encodeURIComponent(e.alertId)]];
}
