import { DCGM, DERIVED, HOST_LABEL, HOST_LABELS, IB_NODE_LABEL } from './metric-names.ts';
import { type GpuQuerySpec, type GpuQuerySpecInput, gpuQuerySpec, type LabelMatcher } from './query-spec.ts';

/**
 * Quotes a label value as a PromQL string literal. PromQL strings use Go's escapes, so backslash,
 * double quote and control characters are escaped; nothing a user types can close the literal.
 */
export function quotePromQLString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** Milliseconds as a PromQL duration (`1h30m`, `90s` → `1m30s`). */
export function formatPromQLDuration(ms: number): string {
  let rest = Math.max(1, Math.round(ms));
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

function selector(metric: string, matchers: readonly LabelMatcher[]): string {
  const inner = matchers.map((m) => `${m.label}${m.op}${quotePromQLString(m.value)}`).join(',');
  return inner ? `${metric}{${inner}}` : metric;
}

/** One way of selecting the node: `undefined` means no node filter. */
type NodeVariant = LabelMatcher | undefined;

function nodeVariants(spec: GpuQuerySpec): NodeVariant[] {
  if (!spec.node) return [undefined];
  if (spec.node.source === 'node-exporter')
    return [{ label: IB_NODE_LABEL, op: '=', value: spec.node.value }];
  return HOST_LABELS.map((label) => ({ label, op: '=' as const, value: spec.node!.value }));
}

function vectorFor(spec: GpuQuerySpec, variant: NodeVariant): string {
  const matchers = variant ? [...spec.matchers, variant] : spec.matchers;
  if (spec.metric === DERIVED.fbUsedPct) {
    const used = selector(DCGM.fbUsed, matchers);
    const free = selector(DCGM.fbFree, matchers);
    return `(100 * ${used} / (${used} + ${free}))`;
  }
  const base = selector(spec.metric, matchers);
  return spec.over ? `${spec.over.fn}(${base}[${formatPromQLDuration(spec.over.windowMs)}])` : base;
}

/**
 * Compiles a vetted GPU query to PromQL; the only place GPU query text is made.
 *
 * The DCGM host label is matched under both spellings with `or` of two selectors rather than a
 * regex on the label name (PromQL has none) or `{__name__=…}` tricks: each side is a plain,
 * index-friendly equality match, and a node's exporter only ever emits one spelling, so the two
 * sides never overlap. When results are grouped by host, `label_replace` copies `hostname` into
 * `Hostname` so one `by (Hostname)` works across a fleet mid-upgrade.
 */
export function compilePromQL(input: GpuQuerySpecInput): string {
  const spec = gpuQuerySpec.parse(input);
  const variants = nodeVariants(spec);
  const union = variants.map((v) => vectorFor(spec, v)).join(' or ');
  // Parenthesised because `or` binds loosest; an aggregation's own parentheses do the same job.
  let expr = variants.length > 1 && !spec.aggregate ? `(${union})` : union;

  const by = spec.aggregate?.by.map((l) => (l === 'hostname' ? HOST_LABEL : l)) ?? [];
  if (by.includes(HOST_LABEL)) {
    expr = `label_replace(${expr}, ${quotePromQLString(HOST_LABEL)}, "$1", "hostname", "(.+)")`;
  }
  if (spec.aggregate) {
    expr = by.length
      ? `${spec.aggregate.op} by (${by.join(', ')}) (${expr})`
      : `${spec.aggregate.op}(${expr})`;
  }
  if (spec.select) expr = `${spec.select.op}(${spec.select.k}, ${expr})`;
  if (spec.compare) expr = `${expr} ${spec.compare.op} ${spec.compare.value}`;
  return expr;
}
