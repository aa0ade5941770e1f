import { computeArgExtreme } from './aggregate-arg.ts';
import { computeAggregate, computePercentiles } from './aggregates.ts';
import type { Expr, NamedExpr } from './ast.ts';
import { type Column, gatherColumn, readCell } from './column.ts';
import { aggregateName, deriveName, uniqueName } from './column-names.ts';
import { KqlError } from './errors.ts';
import { type EvalScope, evalExpr } from './eval-expression.ts';
import { baseRows, binColumn, type GroupKey, groupRows } from './group-keys.ts';
import { AGGREGATE_NAMES, BIN_ORIGIN } from './scalar-functions.ts';
import { findColumn, makeTable, type Table } from './table.ts';
import { expandVal } from './value.ts';

type Call = Extract<Expr, { kind: 'call' }>;

/** Replaces aggregation calls inside an expression with references to computed columns. */
function extractAggregates(e: Expr, found: { call: Call; name: string }[]): Expr {
  switch (e.kind) {
    case 'call': {
      if (AGGREGATE_NAMES.has(e.name)) {
        if (e.name === 'percentiles') {
          throw new KqlError('KQL_UNSUPPORTED_SYNTAX', 'percentiles() must be a whole summarize item', e.pos);
        }
        const name = `__agg${found.length}`;
        found.push({ call: e, name });
        return { kind: 'name', name, pos: e.pos };
      }
      return { ...e, args: e.args.map((a) => extractAggregates(a, found)) };
    }
    case 'binary':
      return { ...e, left: extractAggregates(e.left, found), right: extractAggregates(e.right, found) };
    case 'unary':
      return { ...e, arg: extractAggregates(e.arg, found) };
    case 'in':
      return {
        ...e,
        arg: extractAggregates(e.arg, found),
        list: e.list.map((x) => extractAggregates(x, found)),
      };
    case 'between':
      return {
        ...e,
        arg: extractAggregates(e.arg, found),
        low: extractAggregates(e.low, found),
        high: extractAggregates(e.high, found),
      };
    case 'member':
      return { ...e, target: extractAggregates(e.target, found) };
    default:
      return e;
  }
}

/** Evaluates a by-key; `bin(column, constant)` stays a {@link BinKey} so the bins are never materialised. */
function evalKey(e: Expr, scope: EvalScope, n: number): GroupKey {
  // Plain columns are read through the table's selection vector instead of being gathered first.
  const plain = (x: Expr) => (x.kind === 'name' ? findColumn(scope.table, x.name) : undefined);
  if (e.kind === 'call' && (e.name === 'bin' || e.name === 'floor') && e.args.length === 2) {
    const tc = plain(e.args[0]!);
    const arg = tc ? { col: tc.col, konst: false } : evalExpr(e.args[0]!, scope);
    const step = evalExpr(e.args[1]!, scope);
    const size = readCell(step.col, 0);
    if (!arg.konst && arg.col.kind === 'num' && step.konst && typeof size === 'number' && size > 0) {
      const origin = arg.col.type === 'datetime' ? BIN_ORIGIN : 0;
      return { kind: 'bin', col: arg.col, sel: tc ? tc.sel : null, step: size, origin };
    }
  }
  const tc = plain(e);
  if (tc?.col.kind === 'str') return { kind: 'codes', col: tc.col, sel: tc.sel };
  return expandVal(evalExpr(e, scope), n);
}

/** The key value of each group, read at the group's first row. */
function keyValues(key: GroupKey, firstRow: Int32Array): Column {
  if (key.kind === 'bin') return binColumn(key, firstRow);
  if (key.kind === 'codes') return gatherColumn(key.col, baseRows(key.sel, firstRow));
  return gatherColumn(key, firstRow);
}

function hasAggregate(e: Expr): boolean {
  const found: { call: Call; name: string }[] = [];
  extractAggregates(e, found);
  return found.length > 0;
}

/**
 * `summarize aggs by keys`: hash-free grouping where key layouts allow (dictionary codes, binned
 * numbers), one pass per aggregation, and aggregations nested in expressions
 * (`round(100.0 * countif(x) / count(), 2)`) evaluated over the per-group results.
 */
export function runSummarize(table: Table, aggs: NamedExpr[], by: NamedExpr[], scope: EvalScope): Table {
  const n = table.length;
  const inner: EvalScope = { ...scope, table };
  const taken = new Set<string>();
  const keyCols = by.map((k) => {
    if (hasAggregate(k.expr))
      throw new KqlError('KQL_UNSUPPORTED_SYNTAX', 'Aggregations are not allowed in by', k.expr.pos);
    return { name: uniqueName(k.name ?? deriveName(k.expr), taken), key: evalKey(k.expr, inner, n) };
  });
  const grouping = groupRows(
    keyCols.map((k) => k.key),
    n,
  );
  const out: { name: string; col: Column }[] = keyCols.map((k) => ({
    name: k.name,
    col: keyValues(k.key, grouping.firstRow),
  }));
  const evalArgs = (c: Call) => ({ name: c.name, args: c.args.map((a) => evalExpr(a, inner)), pos: c.pos });
  // With slot grouping, aggregates are computed per slot; keep the non-empty ones.
  const slots = grouping.slots;
  const keep = (col: Column): Column => (slots ? gatherColumn(col, slots) : col);
  for (const item of aggs) {
    const e = item.expr;
    if (e.kind === 'call' && e.name === 'percentiles') {
      const cols = computePercentiles(evalArgs(e), grouping, n);
      cols.forEach((col, i) => {
        const p = e.args[i + 1];
        const pct = p?.kind === 'literal' ? Number(p.value) : i;
        const wanted =
          item.names?.[i] ??
          (item.name && i === 0 && cols.length === 1 ? item.name : aggregateName('percentiles', e.args, pct));
        out.push({ name: uniqueName(wanted, taken), col: keep(col) });
      });
      continue;
    }
    if (e.kind === 'call' && (e.name === 'arg_max' || e.name === 'arg_min')) {
      for (const part of computeArgExtreme(e, grouping, inner, new Set(keyCols.map((k) => k.name)))) {
        out.push({ name: uniqueName(part.name, taken), col: keep(part.col) });
      }
      continue;
    }
    if (e.kind === 'call' && AGGREGATE_NAMES.has(e.name)) {
      const pct =
        e.name === 'percentile' && e.args[1]?.kind === 'literal' ? Number(e.args[1].value) : undefined;
      const name = uniqueName(item.name ?? aggregateName(e.name, e.args, pct), taken);
      out.push({ name, col: keep(computeAggregate(evalArgs(e), grouping, n)) });
      continue;
    }
    const found: { call: Call; name: string }[] = [];
    const rewritten = extractAggregates(e, found);
    if (found.length === 0)
      throw new KqlError('KQL_SYNTAX', 'summarize needs an aggregation function here', e.pos);
    const parts = makeTable(
      found.map((f) => ({ name: f.name, col: keep(computeAggregate(evalArgs(f.call), grouping, n)) })),
    );
    const col = expandVal(evalExpr(rewritten, { ...scope, table: parts }), grouping.firstRow.length);
    out.push({ name: uniqueName(item.name, taken), col });
  }
  return makeTable(out);
}
