import type { Dimension } from './azure-context.ts';

/** One `allOf` criterion of a metric or log alert, reduced to what a card and policy need. */
export interface CriterionView {
  /** Metric name, log measure column, or `resultCount`. */
  name: string;
  value: number | null;
  operator: string | null;
  threshold: string | null;
  aggregation: string | null;
  dimensions: readonly Dimension[];
  dynamic: boolean;
  /** Dynamic thresholds only: `Low` / `Medium` / `High`. */
  sensitivity: string | null;
}

const OPERATOR_SYMBOLS: Record<string, string> = {
  greaterthan: '>',
  greaterthanorequal: '>=',
  lessthan: '<',
  lowerthan: '<',
  lessthanorequal: '<=',
  lowerthanorequal: '<=',
  equal: '=',
  equals: '=',
  notequal: '!=',
  greaterorlessthan: '<>',
};

/** `GreaterThan`, `Greater Than`, `LowerThan`… → `>`, `<`…; an unknown operator is kept as sent. */
export function operatorSymbol(operator: string): string {
  return OPERATOR_SYMBOLS[operator.replace(/\s+/g, '').toLowerCase()] ?? operator;
}

/** A number from a value Azure sends as a number or as numeric text; anything else is null. */
export function toNumber(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** What the criteria add to an alert: values, annotations (threshold, operator…) and text lines. */
export interface ConditionSummary {
  values: Record<string, number>;
  annotations: Record<string, string>;
  lines: string[];
}

/**
 * Turns criteria into `values` (`{ AzureOpenAIRequests: 311 }`), annotations a card can show as
 * "value 311 > threshold 100" (`operator`, `threshold`, `timeAggregation`, `windowSize`,
 * `condition`; the 2nd criterion's keys end in `_2`, and so on) and one readable line per criterion.
 */
export function summariseCriteria(
  criteria: readonly CriterionView[],
  windowSize: string | null,
): ConditionSummary {
  const values: Record<string, number> = {};
  const annotations: Record<string, string> = {};
  const lines: string[] = [];
  criteria.forEach((c, i) => {
    const suffix = i === 0 ? '' : `_${i + 1}`;
    let key = c.name;
    for (let n = 2; Object.hasOwn(values, key); n++) key = `${c.name}#${n}`;
    if (c.value !== null) values[key] = c.value;
    const line = describeCriterion(c, windowSize);
    const put = (name: string, value: string | null) => {
      if (value !== null && value !== '') annotations[name + suffix] = value;
    };
    put('metric', c.name);
    put('operator', c.operator === null ? null : operatorSymbol(c.operator));
    put('threshold', c.threshold);
    put('timeAggregation', c.aggregation);
    put('alertSensitivity', c.sensitivity);
    put('thresholdType', c.dynamic ? 'dynamic' : null);
    put('condition', line);
    lines.push(line);
  });
  if (windowSize) annotations.windowSize = windowSize;
  return { values, annotations, lines };
}

function describeCriterion(c: CriterionView, windowSize: string | null): string {
  const subject = c.aggregation
    ? `${c.name} (${c.aggregation}${windowSize ? ` over ${windowSize}` : ''})`
    : c.name;
  const value = c.value === null ? 'no value' : String(c.value);
  const dims = c.dimensions.length ? ` [${c.dimensions.map((d) => `${d.name}=${d.value}`).join(', ')}]` : '';
  if (c.operator === null || c.threshold === null) return `${subject} = ${value}${dims}`;
  const dynamic = c.dynamic
    ? ` (dynamic threshold${c.sensitivity ? `, ${c.sensitivity} sensitivity` : ''})`
    : '';
  return `${subject} = ${value}, threshold ${operatorSymbol(c.operator)} ${c.threshold}${dynamic}${dims}`;
}
