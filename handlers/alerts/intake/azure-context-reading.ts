import type { AlertDetail, AlertLink, AlertQuery } from '../../../core/alerts/alert.ts';
import { budgetAmounts, budgetDetails, budgetLabels, isBudgetAlert, readBudget } from './azure-budget.ts';
import { type CriterionView, toNumber } from './azure-condition.ts';
import {
  type Dimension,
  legacyLogContext,
  logContext,
  METRIC_CONDITION_TYPES,
  metricContext,
  otherContext,
} from './azure-context.ts';
import type { AzureEssentials } from './azure-payload.ts';
import { parsePayload } from './intake-error.ts';

/** What the alert context contributes to a normalised Azure alert. */
export interface ContextReading {
  kind: 'metric' | 'log' | 'legacy-log' | 'other';
  criteria: CriterionView[];
  windowSize: string | null;
  /** Dimensions, event columns, managed-Prometheus labels: become alert labels. */
  labels: Dimension[];
  annotations: Record<string, string>;
  links: [AlertLink['kind'], string | null | undefined][];
  /** What the sender's own alert page shows for this kind of alert (operation, caller, detected value…). */
  details: AlertDetail[];
  query: AlertQuery | null;
  valueText: string | null;
}

const LEGACY_SERVICES = new Set(['Log Analytics', 'Application Insights']);
const AT = ['data', 'alertContext'] as const;

/**
 * Reads `alertContext` by its kind: `conditionType` picks metric or Log Alerts V2; legacy v1 log
 * alerts have no `conditionType` but PascalCase keys; anything else (activity log, health, budget,
 * smart detection…) contributes what it can without being rejected.
 */
export function readAlertContext(
  essentials: AzureEssentials,
  raw: Record<string, unknown> | null,
): ContextReading {
  const context = raw ?? {};
  const conditionType = typeof context.conditionType === 'string' ? context.conditionType : null;
  if (conditionType !== null && (METRIC_CONDITION_TYPES as readonly string[]).includes(conditionType)) {
    return readMetric(context);
  }
  if (conditionType === 'LogQueryCriteria') return readLog(context);
  const looksLegacy =
    Object.hasOwn(context, 'SearchQuery') || Object.hasOwn(context, 'SearchIntervalStartTimeUtc');
  if (conditionType === null && (LEGACY_SERVICES.has(essentials.monitoringService ?? '') || looksLegacy)) {
    return readLegacy(context);
  }
  return readOther(context, conditionType, isBudgetAlert(essentials.monitoringService, context));
}

function readMetric(raw: unknown): ContextReading {
  const ctx = parsePayload(metricContext, raw, AT);
  const dynamic = ctx.conditionType === 'DynamicThresholdCriteria';
  const criteria = ctx.condition.allOf.map((c) => ({
    name: c.metricName || 'metricValue',
    value: toNumber(c.metricValue),
    operator: c.operator ?? null,
    threshold: c.threshold === null || c.threshold === undefined ? null : String(c.threshold),
    aggregation: c.timeAggregation ?? null,
    dimensions: c.dimensions ?? [],
    dynamic,
    sensitivity: dynamic ? (c.alertSensitivity ?? null) : null,
  }));
  const first = ctx.condition.allOf[0];
  const labels: Dimension[] = [];
  if (first?.metricName) labels.push({ name: 'metricName', value: first.metricName });
  if (first?.metricNamespace) labels.push({ name: 'metricNamespace', value: first.metricNamespace });
  return {
    kind: 'metric',
    criteria,
    windowSize: ctx.condition.windowSize ?? null,
    labels: [...labels, ...criteria.flatMap((c) => c.dimensions)],
    annotations: compact({
      ...ctx.properties,
      conditionType: ctx.conditionType,
      webTestName: first?.webTestName,
      windowStartTime: ctx.condition.windowStartTime,
      windowEndTime: ctx.condition.windowEndTime,
    }),
    links: [],
    details: details([['Web test', first?.webTestName]]),
    query: null,
    valueText: null,
  };
}

function readLog(raw: unknown): ContextReading {
  const ctx = parsePayload(logContext, raw, AT);
  const criteria = ctx.condition.allOf.map((c) => ({
    name: c.metricMeasureColumn || 'resultCount',
    value: toNumber(c.metricValue),
    operator: c.operator ?? null,
    threshold: c.threshold === null || c.threshold === undefined ? null : String(c.threshold),
    aggregation: c.timeAggregation ?? null,
    dimensions: c.dimensions ?? [],
    dynamic: false,
    sensitivity: null,
  }));
  const first = ctx.condition.allOf[0];
  const events = first?.event ?? ctx.condition.event ?? [];
  return {
    kind: 'log',
    criteria,
    windowSize: ctx.condition.windowSize ?? null,
    // A simple log alert fires per row; the row's columns describe what fired.
    labels: [...criteria.flatMap((c) => c.dimensions), ...(events[0] ?? [])],
    annotations: compact({
      ...ctx.properties,
      conditionType: ctx.conditionType,
      searchQuery: first?.searchQuery,
      searchResultsApi: first?.linkToFilteredSearchResultsAPI || first?.linkToSearchResultsAPI,
      eventRows: events.length > 1 ? String(events.length) : null,
      windowStartTime: ctx.condition.windowStartTime,
      windowEndTime: ctx.condition.windowEndTime,
    }),
    links: [
      [
        'search',
        first?.linkToFilteredSearchResultsUI || first?.linkToSearchResultsUI || first?.linkToSearchResultsAPI,
      ],
    ],
    details: details([
      ['Window', windowOf(ctx.condition.windowStartTime, ctx.condition.windowEndTime)],
      ['Rows', events.length > 1 ? String(events.length) : null],
    ]),
    query: kql(first?.searchQuery),
    valueText: null,
  };
}

function readLegacy(raw: unknown): ContextReading {
  const ctx = parsePayload(legacyLogContext, raw, AT);
  const dimensions = ctx.Dimensions ?? [];
  return {
    kind: 'legacy-log',
    criteria: [
      {
        name: 'resultCount',
        value: toNumber(ctx.ResultCount),
        operator: ctx.Operator ?? null,
        threshold: ctx.Threshold === null || ctx.Threshold === undefined ? null : String(ctx.Threshold),
        aggregation: null,
        dimensions,
        dynamic: false,
        sensitivity: null,
      },
    ],
    windowSize: ctx.SearchIntervalInMinutes ? `PT${ctx.SearchIntervalInMinutes}M` : null,
    labels: dimensions,
    annotations: compact({
      searchQuery: ctx.SearchQuery,
      searchIntervalStart: ctx.SearchIntervalStartTimeUtc,
      searchIntervalEnd: ctx.SearchIntervalEndtimeUtc,
      searchResultsApi: ctx.LinkToFilteredSearchResultsAPI || ctx.LinkToSearchResultsAPI,
      alertType: ctx.AlertType,
      severityDescription: ctx.SeverityDescription,
      workspaceId: ctx.WorkspaceId,
      applicationId: ctx.ApplicationId,
    }),
    links: [
      ['search', ctx.LinkToFilteredSearchResultsUI || ctx.LinkToSearchResults || ctx.LinkToSearchResultsAPI],
    ],
    details: details([
      ['Alert type', ctx.AlertType],
      ['Search interval', windowOf(ctx.SearchIntervalStartTimeUtc, ctx.SearchIntervalEndtimeUtc)],
    ]),
    query: kql(ctx.SearchQuery),
    valueText: null,
  };
}

function readOther(raw: unknown, conditionType: string | null, budgetAlert: boolean): ContextReading {
  const ctx = parsePayload(otherContext, raw, AT);
  const budget = budgetAlert ? readBudget(ctx.AlertData ?? {}) : null;
  const labels = Object.entries(ctx.labels ?? {}).map(([name, value]) => ({ name, value }));
  return {
    kind: 'other',
    criteria: [],
    windowSize: null,
    labels: budget ? [...budgetLabels(budget), ...labels] : labels,
    annotations: compact({
      ...ctx.AlertData,
      ...(budget ? budgetAmounts(budget) : {}),
      ...ctx.properties,
      ...ctx.annotations,
      conditionType,
      expression: ctx.expression,
      expressionValue:
        ctx.expressionValue === null || ctx.expressionValue === undefined
          ? null
          : String(ctx.expressionValue),
    }),
    links: [],
    details: budget ? [...budgetDetails(budget), ...otherDetails(ctx)] : otherDetails(ctx),
    query: ctx.expression?.trim() ? { language: 'promql', text: ctx.expression.trim().slice(0, 8192) } : null,
    valueText: firstText(
      ctx.expressionValue === null || ctx.expressionValue === undefined ? null : String(ctx.expressionValue),
      ctx.DetectedValue,
      ctx.AlertData?.SpentAmount,
    ),
  };
}

type OtherContext = ReturnType<typeof otherContext.parse>;

/**
 * The fields Azure's own alert page leads with for activity-log, health, smart-detection and
 * managed-Prometheus alerts (budget alerts lead with azure-budget.ts's details). Properties are read by name; absent ones are skipped.
 */
function otherDetails(ctx: OtherContext): AlertDetail[] {
  const p = ctx.properties ?? {};
  const status = [ctx.status, ctx.subStatus].filter((v) => v?.trim()).join(' · ');
  const health =
    p.previousHealthStatus && p.currentHealthStatus
      ? `${p.previousHealthStatus} → ${p.currentHealthStatus}`
      : null;
  return details([
    ['Operation', ctx.operationName],
    ['Caller', ctx.caller],
    ['Status', status],
    ['Health', health],
    ['Cause', p.cause],
    ['Event', p.title],
    ['Service', p.service],
    ['Region', p.region],
    ['Stage', p.stage],
    ['Tracking id', p.trackingId],
    ['Impact start', p.impactStartTime],
    ['Scope', ctx.authorization?.scope],
    ['Event time', ctx.eventTimestamp],
    ['Correlation id', ctx.correlationId],
    ['Detector', ctx.SmartDetectorName],
    ['Detection', ctx.DetectionSummary],
    ['Detected value', ctx.DetectedValue],
    ['Normal value', ctx.NormalValue],
    ['Occurred', ctx.FormattedOccurrenceTime],
    [
      'Value',
      ctx.expressionValue === null || ctx.expressionValue === undefined ? null : String(ctx.expressionValue),
    ],
    ['For', ctx.for],
    ['Interval', ctx.interval],
    ['Rule group', ctx.ruleGroup?.split('/').pop()],
  ]);
}

function details(pairs: ReadonlyArray<readonly [string, string | null | undefined]>): AlertDetail[] {
  const out: AlertDetail[] = [];
  for (const [label, value] of pairs) {
    const text = value?.trim();
    if (text) out.push({ label, value: text.length > 1024 ? `${text.slice(0, 1023)}…` : text });
  }
  return out;
}

function kql(text: string | null | undefined): AlertQuery | null {
  const query = text?.trim();
  return query ? { language: 'kql', text: query.slice(0, 8192) } : null;
}

function windowOf(start: string | null | undefined, end: string | null | undefined): string | null {
  if (!start && !end) return null;
  return start === end || !end ? (start ?? null) : `${start ?? '?'} – ${end}`;
}

function firstText(...candidates: (string | null | undefined)[]): string | null {
  for (const c of candidates) if (c?.trim()) return c.trim().slice(0, 256);
  return null;
}

function compact(entries: Record<string, string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries))
    if (value !== null && value !== undefined && value !== '') out[key] = value;
  return out;
}
