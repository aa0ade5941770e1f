import { createHash } from 'node:crypto';

/**
 * Builders of webhook bodies exactly as the real senders write them (see formats.md §1–§3), so
 * the simulator exercises the same parsing as production traffic.
 */

const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
const SUBSCRIPTION = '5f1c2a7e-0b7d-4d39-9c8e-2f0a4e6b7c11';

export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: 'firing' | 'resolved';
  startsAt: string;
  endsAt?: string;
}

/** Alertmanager's fingerprint is a hash of the label set; ours is stable in the same way. */
function fingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\xff');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** An Alertmanager webhook v4 body for one notification group. */
export function alertmanagerGroup(groupLabels: Record<string, string>, alerts: AmAlert[]) {
  const firing = alerts.some((a) => a.status === 'firing');
  const common = Object.fromEntries(
    Object.entries(alerts[0]?.labels ?? {}).filter(([k, v]) => alerts.every((a) => a.labels[k] === v)),
  );
  const groupKey = `{}/{severity=~"critical|warning"}:{${Object.entries(groupLabels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
  return {
    receiver: 'oncall-bot',
    status: firing ? 'firing' : 'resolved',
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.status === 'resolved' ? (a.endsAt ?? a.startsAt) : GO_ZERO_TIME,
      generatorURL: `http://prometheus.sim.local:9090/graph?g0.expr=${encodeURIComponent(a.labels.alertname ?? '')}&g0.tab=1`,
      fingerprint: fingerprint(a.labels),
    })),
    groupLabels,
    commonLabels: common,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.sim.local:9093',
    version: '4',
    groupKey,
    truncatedAlerts: 0,
  };
}

/** An Azure Monitor common-alert-schema metric alert (static threshold) on an Azure OpenAI account. */
export function azureMetricAlert(input: {
  rule: string;
  alertGuid: string;
  severity: 'Sev0' | 'Sev1' | 'Sev2' | 'Sev3' | 'Sev4';
  condition: 'Fired' | 'Resolved';
  firedAt: string;
  resolvedAt?: string;
  account: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
  threshold: number;
  value: number;
  description: string;
  /** The rule's aggregation window, ending at `firedAt` (default 10 minutes). */
  windowMs?: number;
}) {
  const windowMs = input.windowMs ?? 10 * 60_000;
  const target = `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-ai-prod/providers/microsoft.cognitiveservices/accounts/${input.account}`;
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts/${input.alertGuid}`,
        alertRule: input.rule,
        severity: input.severity,
        signalType: 'Metric',
        monitorCondition: input.condition,
        monitoringService: 'Platform',
        alertTargetIDs: [target],
        configurationItems: [input.account],
        originAlertId: `${SUBSCRIPTION}_rg-ai-prod_microsoft.insights_metricAlerts_${input.rule}_1882736412`,
        firedDateTime: input.firedAt,
        ...(input.resolvedAt ? { resolvedDateTime: input.resolvedAt } : {}),
        description: input.description,
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {
        properties: null,
        conditionType: 'SingleResourceMultipleMetricCriteria',
        condition: {
          windowSize: `PT${windowMs / 60_000}M`,
          allOf: [
            {
              metricName: input.metricName,
              metricNamespace: 'Microsoft.CognitiveServices/accounts',
              operator: 'GreaterThan',
              threshold: String(input.threshold),
              timeAggregation: 'Total',
              dimensions: input.dimensions,
              metricValue: input.value,
              webTestName: null,
            },
          ],
          windowStartTime: new Date(Date.parse(input.firedAt) - windowMs).toISOString(),
          windowEndTime: input.firedAt,
        },
      },
      customProperties: null,
    },
  };
}

/** An Azure Monitor Log Alerts V2 (scheduled query) alert over a Log Analytics workspace. */
export function azureLogAlert(input: {
  rule: string;
  alertGuid: string;
  severity: 'Sev0' | 'Sev1' | 'Sev2' | 'Sev3' | 'Sev4';
  condition: 'Fired' | 'Resolved';
  firedAt: string;
  query: string;
  dimensions: { name: string; value: string }[];
  threshold: number;
  value: number;
  description: string;
}) {
  const workspace = `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-ai-prod/providers/microsoft.operationalinsights/workspaces/law-ai-prod`;
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts/${input.alertGuid}`,
        alertRule: input.rule,
        severity: input.severity,
        signalType: 'Log',
        monitorCondition: input.condition,
        monitoringService: 'Log Alerts V2',
        alertTargetIDs: [workspace],
        configurationItems: input.dimensions.map((d) => d.value),
        originAlertId: input.alertGuid,
        firedDateTime: input.firedAt,
        description: input.description,
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {
        properties: {},
        conditionType: 'LogQueryCriteria',
        condition: {
          windowSize: 'PT15M',
          allOf: [
            {
              searchQuery: input.query,
              metricMeasureColumn: 'TpmUsedPct',
              targetResourceTypes: "['Microsoft.OperationalInsights/workspaces']",
              operator: 'GreaterThan',
              threshold: String(input.threshold),
              timeAggregation: 'Maximum',
              dimensions: input.dimensions,
              metricValue: input.value,
              failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
              linkToSearchResultsUI:
                'https://portal.azure.com#@sim/blade/Microsoft_Azure_Monitoring_Logs/LogsBlade',
              linkToSearchResultsAPI:
                'https://api.loganalytics.io/v1/workspaces/00000000-0000-0000-0000-000000000001/query',
            },
          ],
          windowStartTime: input.firedAt,
          windowEndTime: input.firedAt,
        },
      },
    },
  };
}

/** A Grafana-managed alerting webhook body (version "1"). */
export function grafanaNotification(input: {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  values: Record<string, number>;
}) {
  const fp = fingerprint(input.labels);
  return {
    receiver: 'oncall-bot',
    status: input.status,
    orgId: 1,
    alerts: [
      {
        status: input.status,
        labels: input.labels,
        annotations: input.annotations,
        startsAt: input.startsAt,
        endsAt: input.status === 'resolved' ? (input.endsAt ?? input.startsAt) : GO_ZERO_TIME,
        generatorURL: `https://grafana.sim.local/alerting/grafana/${fp}/view`,
        fingerprint: fp,
        silenceURL: `https://grafana.sim.local/alerting/silence/new?matcher=alertname%3D${encodeURIComponent(input.labels.alertname ?? '')}`,
        dashboardURL: 'https://grafana.sim.local/d/llm-latency',
        panelURL: '',
        values: input.values,
      },
    ],
    groupLabels: { alertname: input.labels.alertname ?? '' },
    commonLabels: input.labels,
    commonAnnotations: input.annotations,
    externalURL: 'https://grafana.sim.local/',
    version: '1',
    groupKey: `{}/{}:{alertname="${input.labels.alertname ?? ''}"}`,
    truncatedAlerts: 0,
    title: `[${input.status.toUpperCase()}:1] ${input.labels.alertname ?? ''}`,
    state: input.status === 'firing' ? 'alerting' : 'ok',
    message: `${input.status === 'firing' ? '**Firing**' : '**Resolved**'}\n\n${input.annotations.summary ?? ''}`,
  };
}
