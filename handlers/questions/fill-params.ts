import type { Slots } from './extract-slots.ts';
import type { RoutableQuery } from './routable-query.ts';

type SlotKey =
  | 'time'
  | 'bucket'
  | 'thresholdMs'
  | 'thresholdPct'
  | 'percentile'
  | 'limit'
  | 'ratio'
  | 'gpu'
  | 'node'
  | 'deployment'
  | 'appRole'
  | 'team'
  | 'operation'
  | 'modelVersion';

/** Which slot fills a parameter of a vetted query, by the parameter's name. */
const PARAM_SLOTS: Record<string, SlotKey> = {
  window: 'time',
  range: 'time',
  recent: 'time',
  timespan: 'time',
  start: 'time',
  end: 'time',
  bucket: 'bucket',
  step: 'bucket',
  slo_ms: 'thresholdMs',
  threshold_ms: 'thresholdMs',
  min_ms: 'thresholdMs',
  fbPressurePct: 'thresholdPct',
  threshold_pct: 'thresholdPct',
  percentile: 'percentile',
  limit: 'limit',
  min_ratio: 'ratio',
  ratio: 'ratio',
  gpu: 'gpu',
  node: 'node',
  deployment: 'deployment',
  appRole: 'appRole',
  app_role: 'appRole',
  role: 'appRole',
  team: 'team',
  operation: 'operation',
  model_version: 'modelVersion',
};

/** The slot that fills a parameter of this name, if any. */
export function slotOfParam(name: string): SlotKey | undefined {
  return PARAM_SLOTS[name];
}

/** The value of one slot as a parameter value, if the question has it. */
export function readSlot(slots: Slots, key: SlotKey): string | number | undefined {
  switch (key) {
    case 'time':
      return slots.time?.window;
    case 'thresholdMs':
      return slots.threshold?.unit === 'ms' ? slots.threshold.value : undefined;
    case 'thresholdPct':
      return slots.threshold?.unit === 'percent' ? slots.threshold.value : undefined;
    default:
      return slots[key];
  }
}

/** The slot kinds a query can take (by its parameter names). */
export function acceptedSlots(query: RoutableQuery): Set<SlotKey> {
  return new Set(Object.keys(query.params.shape).flatMap((p) => (PARAM_SLOTS[p] ? [PARAM_SLOTS[p]] : [])));
}

/** The slot kinds present in the question. */
export function presentSlots(slots: Slots): Set<SlotKey> {
  const keys: SlotKey[] = [
    'time',
    'bucket',
    'thresholdMs',
    'thresholdPct',
    'percentile',
    'limit',
    'ratio',
    'gpu',
    'node',
    'deployment',
    'appRole',
    'team',
    'operation',
    'modelVersion',
  ];
  return new Set(keys.filter((k) => readSlot(slots, k) !== undefined));
}

/** Parameters of a query that must be given (no default, not optional). */
export function requiredParams(query: RoutableQuery): string[] {
  return Object.entries(query.params.shape)
    .filter(
      ([, schema]) =>
        !(schema as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success,
    )
    .map(([name]) => name);
}

/** An instant as the `datetime` parameters take it, without the noise of zero milliseconds. */
function isoInstant(iso: string): string {
  return iso.replace(/\.000Z$/, 'Z');
}

/** Whether a query takes an absolute range (`start`/`end`) as well as a look-back. */
export function takesAbsoluteRange(query: RoutableQuery): boolean {
  return 'start' in query.params.shape;
}

/**
 * The time parameters of a query for the question's range: a calendar range ("yesterday",
 * "since Monday") as `start` (and `end`, unless it runs to now) where the query takes them, so
 * the answer is the same whenever it runs; otherwise a look-back from now.
 */
function timeParam(name: string, query: RoutableQuery, slots: Slots): string | undefined {
  const time = slots.time;
  if (!time) return undefined;
  const absolute = time.absolute && takesAbsoluteRange(query);
  if (name === 'start') return absolute ? isoInstant(time.start) : undefined;
  if (name === 'end') return absolute && !time.toNow ? isoInstant(time.end) : undefined;
  return absolute ? undefined : time.window;
}

/**
 * Raw parameters for a query from the question's slots, by parameter name; parameters the
 * question says nothing about are left out so the query's defaults apply.
 */
export function fillParams(query: RoutableQuery, slots: Slots): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const name of Object.keys(query.params.shape)) {
    const key = PARAM_SLOTS[name];
    const value = key === 'time' ? timeParam(name, query, slots) : key ? readSlot(slots, key) : undefined;
    if (value !== undefined) params[name] = value;
  }
  return params;
}
