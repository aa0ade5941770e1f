import { z } from 'zod';
import { azureProperties } from './azure-payload.ts';
import { azureInstant, legacyAzureInstant } from './instant.ts';
import { LIMITS, scalarText, stringMap, urlText } from './limits.ts';

const shortText = z.string().max(LIMITS.keyLength);
/** Thresholds come as strings (`"0"`) in metric and log V2 alerts and as numbers in legacy v1. */
const numberOrText = z.union([z.number(), z.string().max(64)]);

const dimension = z.object({ name: shortText, value: scalarText });
export const dimensions = z.array(dimension).max(LIMITS.mapEntries);
export type Dimension = z.infer<typeof dimension>;

const failingPeriods = z.object({
  numberOfEvaluationPeriods: z.number().nullish(),
  minFailingPeriodsToAlert: z.number().nullish(),
});

/** "Simple log alert" rows: each row is a list of `{name, value}` columns. */
export const eventRows = z.array(z.array(dimension).max(LIMITS.mapEntries)).max(100);

/** One `allOf` entry of a metric alert, static or dynamic threshold. */
const metricCriterion = z.object({
  metricName: shortText.nullish(),
  metricNamespace: shortText.nullish(),
  operator: shortText.nullish(),
  threshold: numberOrText.nullish(),
  timeAggregation: shortText.nullish(),
  dimensions: dimensions.nullish(),
  metricValue: numberOrText.nullish(),
  webTestName: shortText.nullish(),
  alertSensitivity: shortText.nullish(),
  failingPeriods: failingPeriods.nullish(),
  ignoreDataBefore: azureInstant.nullish(),
});

export const METRIC_CONDITION_TYPES = [
  'SingleResourceMultipleMetricCriteria',
  'MultipleResourceMultipleMetricCriteria',
  'DynamicThresholdCriteria',
  'WebtestLocationAvailabilityCriteria',
] as const;

const window = {
  windowSize: shortText.nullish(),
  windowStartTime: azureInstant.nullish(),
  windowEndTime: azureInstant.nullish(),
};

/** `alertContext` of a metric alert (`monitoringService: "Platform"`). */
export const metricContext = z.object({
  properties: azureProperties.nullish(),
  conditionType: z.enum(METRIC_CONDITION_TYPES),
  condition: z.object({ ...window, allOf: z.array(metricCriterion).min(1).max(LIMITS.criteria) }),
});
export type MetricContext = z.infer<typeof metricContext>;

/** One `allOf` entry of a Log Alerts V2 rule; the simple variant nulls most fields and adds `event`. */
const logCriterion = z.object({
  searchQuery: z.string().max(LIMITS.queryLength).nullish(),
  metricMeasureColumn: shortText.nullish(),
  targetResourceTypes: z.string().max(LIMITS.valueLength).nullish(),
  operator: shortText.nullish(),
  threshold: numberOrText.nullish(),
  timeAggregation: shortText.nullish(),
  dimensions: dimensions.nullish(),
  metricValue: numberOrText.nullish(),
  failingPeriods: failingPeriods.nullish(),
  linkToSearchResultsUI: urlText.nullish(),
  linkToFilteredSearchResultsUI: urlText.nullish(),
  linkToSearchResultsAPI: urlText.nullish(),
  linkToFilteredSearchResultsAPI: urlText.nullish(),
  event: eventRows.nullish(),
});

/** `alertContext` of a Log Alerts V2 rule (`conditionType: "LogQueryCriteria"`). */
export const logContext = z.object({
  properties: azureProperties.nullish(),
  conditionType: z.literal('LogQueryCriteria'),
  condition: z.object({
    ...window,
    allOf: z.array(logCriterion).min(1).max(LIMITS.criteria),
    event: eventRows.nullish(),
  }),
});
export type LogContext = z.infer<typeof logContext>;

/**
 * `alertContext` of a legacy v1 log alert (`Log Analytics` / `Application Insights`): PascalCase
 * keys, `SearchIntervalEndtimeUtc` with a lower-case "t", dates like `3/22/2019 1:36:31 PM` (UTC).
 * The embedded `SearchResults` is not read; it can be most of the 256 KB.
 */
export const legacyLogContext = z.object({
  SearchQuery: z.string().max(LIMITS.queryLength).nullish(),
  SearchIntervalStartTimeUtc: legacyAzureInstant.nullish(),
  SearchIntervalEndtimeUtc: legacyAzureInstant.nullish(),
  ResultCount: numberOrText.nullish(),
  LinkToSearchResults: urlText.nullish(),
  LinkToFilteredSearchResultsUI: urlText.nullish(),
  LinkToSearchResultsAPI: urlText.nullish(),
  LinkToFilteredSearchResultsAPI: urlText.nullish(),
  SeverityDescription: shortText.nullish(),
  WorkspaceId: shortText.nullish(),
  ApplicationId: shortText.nullish(),
  SearchIntervalDurationMin: numberOrText.nullish(),
  SearchIntervalInMinutes: numberOrText.nullish(),
  AffectedConfigurationItems: z.array(z.string().max(2048)).max(LIMITS.listItems).nullish(),
  Threshold: numberOrText.nullish(),
  Operator: shortText.nullish(),
  Dimensions: dimensions.nullish(),
  IncludedSearchResults: z.union([z.string().max(16), z.boolean()]).nullish(),
  AlertType: shortText.nullish(),
});
export type LegacyLogContext = z.infer<typeof legacyLogContext>;

/**
 * What is read from any other context (activity log, resource/service health, budgets, managed
 * Prometheus, smart detection): label/annotation maps and scalar properties, when well-formed.
 */
/** A scalar field of a free-form context; ServiceHealth sends some as numbers. Anything odd is dropped. */
const contextText = z
  .union([z.string().max(LIMITS.valueLength), z.number(), z.boolean()])
  .transform((v) => String(v))
  .nullish()
  .catch(null);

export const otherContext = z.object({
  /** Activity log (administrative, policy, autoscale, security, resource/service health). */
  operationName: contextText,
  caller: contextText,
  status: contextText,
  subStatus: contextText,
  level: contextText,
  eventSource: contextText,
  eventTimestamp: contextText,
  correlationId: contextText,
  authorization: z.object({ action: contextText, scope: contextText }).nullish().catch(null),
  /** Smart detection (Application Insights). */
  SmartDetectorName: contextText,
  DetectionSummary: contextText,
  DetectedValue: contextText,
  NormalValue: contextText,
  FormattedOccurrenceTime: contextText,
  /** Managed Prometheus rule groups. */
  interval: contextText,
  for: contextText,
  ruleGroup: contextText,
  /** Azure Monitor managed Prometheus sends the rule's PromQL and the value it evaluated to. */
  expression: z.string().max(LIMITS.queryLength).nullish().catch(null),
  expressionValue: z
    .union([z.string().max(64), z.number()])
    .nullish()
    .catch(null),
  labels: stringMap.nullish().catch(null),
  annotations: stringMap.nullish().catch(null),
  properties: azureProperties.nullish().catch(null),
  AlertData: azureProperties.nullish().catch(null),
});
