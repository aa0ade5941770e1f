import type { Expr, NamedExpr, Operator, QueryAst, TabularExpr, TabularSource } from './ast.ts';
import { buildColumn } from './build-column.ts';
import { type Column, readCell } from './column.ts';
import { deriveName, uniqueName } from './column-names.ts';
import { KqlError, type SourcePos } from './errors.ts';
import { type EvalScope, evalConstant, evalExpr } from './eval-expression.ts';
import { filterByRange } from './fast-filter.ts';
import { runJoin } from './op-join.ts';
import { runSort, runTop } from './op-sort.ts';
import { runSummarize } from './op-summarize.ts';
import { runUnion } from './op-union.ts';
import { findColumn, makeTable, selectRows, type Table, withColumn } from './table.ts';
import { constVal, expandVal, type Val } from './value.ts';

/** Everything a query runs against. */
export interface RunContext {
  tables: ReadonlyMap<string, Table>;
  now: number;
  /** Values for `declare query_parameters` (override the declared defaults). */
  params: Readonly<Record<string, unknown>>;
}

/** Executes parsed statements and returns the table of the last query statement. */
export function runStatements(ast: QueryAst, ctx: RunContext): Table {
  const scalars = new Map<string, Val>();
  const tabulars = new Map<string, Table>();
  const scope: EvalScope = {
    table: { length: 1, columns: [] },
    scalars,
    now: ctx.now,
    runTabular: (q) => runTabular(q),
  };
  const resolveTable = (name: string, pos: SourcePos): Table => {
    const t = tabulars.get(name) ?? ctx.tables.get(name);
    if (!t) throw new KqlError('KQL_UNKNOWN_NAME', `Unknown table "${name}"`, pos);
    return t;
  };
  const runTabular = (q: TabularExpr): Table => {
    let t = runSource(q.source);
    for (const op of q.ops) t = runOperator(t, op);
    return t;
  };
  const runSource = (s: TabularSource): Table => {
    switch (s.kind) {
      case 'table':
        return resolveTable(s.name, s.pos);
      case 'union':
        return s.sources.length === 1
          ? runTabular(s.sources[0]!)
          : runUnion(s.sources.map(runTabular), s.pos);
      case 'print':
        // Kusto names unnamed print columns print_0, print_1, ...
        return projectItems(
          { length: 1, columns: [] },
          s.items.map((it, i) => ({ ...it, name: it.name ?? `print_${i}` })),
          scope,
        );
      case 'datatable': {
        const width = s.columns.length;
        if (s.values.length % width !== 0)
          throw new KqlError('KQL_ARGUMENT', 'datatable values do not fill whole rows', s.pos);
        const cells = s.values.map((v) => evalConstant(v, scope));
        return makeTable(
          s.columns.map((c, k) => ({
            name: c.name,
            col: buildColumn(
              c.type,
              cells.filter((_, i) => i % width === k),
            ),
          })),
        );
      }
    }
  };
  const runOperator = (t: Table, op: Operator): Table => {
    switch (op.op) {
      case 'where':
        return runWhere(t, op.predicate, scope);
      case 'extend': {
        let out = t;
        const taken = new Set(t.columns.map((c) => c.name));
        for (const item of op.items) {
          const name = item.name ?? uniqueName(item.expr.kind === 'name' ? item.expr.name : null, taken);
          out = withColumn(out, name, expandVal(evalExpr(item.expr, { ...scope, table: out }), t.length));
        }
        return out;
      }
      case 'project':
        return projectItems(t, op.items, scope);
      case 'project-away': {
        const pats = op.patterns.map(
          (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`),
        );
        for (const p of op.patterns) {
          if (!p.includes('*') && !findColumn(t, p))
            throw new KqlError('KQL_UNKNOWN_NAME', `Unknown column "${p}"`, op.pos);
        }
        return { length: t.length, columns: t.columns.filter((c) => !pats.some((re) => re.test(c.name))) };
      }
      case 'project-rename':
        for (const r of op.items) {
          if (!findColumn(t, r.from))
            throw new KqlError('KQL_UNKNOWN_NAME', `Unknown column "${r.from}"`, op.pos);
        }
        return {
          length: t.length,
          columns: t.columns.map((c) => {
            const r = op.items.find((i) => i.from === c.name);
            return r ? { ...c, name: r.to } : c;
          }),
        };
      case 'summarize':
        return runSummarize(t, op.aggs, op.by, scope);
      case 'sort':
        return runSort(t, op.keys, scope);
      case 'top':
        return runTop(t, constCount(op.count, scope, 'top'), op.keys, scope);
      case 'take': {
        const k = Math.min(t.length, Math.max(0, constCount(op.count, scope, 'take')));
        return selectRows(
          t,
          Int32Array.from({ length: k }, (_, i) => i),
        );
      }
      case 'count':
        return makeTable([{ name: 'Count', col: buildColumn('long', [t.length]) }]);
      case 'distinct': {
        const items: NamedExpr[] =
          op.items.length === 1 && op.items[0]!.expr.kind === 'star'
            ? t.columns.map((c) => ({ name: c.name, expr: { kind: 'name', name: c.name, pos: op.pos } }))
            : op.items;
        return runSummarize(t, [], items, scope);
      }
      case 'join':
        return runJoin(t, runTabular(op.right), op);
      case 'union':
        return runUnion([t, ...op.sources.map(runTabular)], op.pos);
      case 'render':
        return t;
    }
  };
  let result: Table | null = null;
  for (const st of ast.statements) {
    if (st.kind === 'declare') {
      for (const p of st.params) {
        const given = ctx.params[p.name];
        if (given === undefined && !p.defaultValue) {
          throw new KqlError(
            'KQL_ARGUMENT',
            `Query parameter "${p.name}" has no value and no default`,
            p.pos,
          );
        }
        const value = given !== undefined ? given : evalConstant(p.defaultValue!, scope);
        scalars.set(p.name, constVal(p.type, value));
      }
    } else if (st.kind === 'let') {
      if ('tabular' in st.value) tabulars.set(st.name, runTabular(st.value.tabular));
      else {
        const e = st.value.scalar;
        if (e.kind === 'name' && (tabulars.has(e.name) || ctx.tables.has(e.name))) {
          tabulars.set(st.name, resolveTable(e.name, e.pos));
          continue;
        }
        const v = evalExpr(e, scope);
        scalars.set(st.name, { col: v.col, konst: true });
      }
    } else result = runTabular(st.body);
  }
  if (!result)
    throw new KqlError('KQL_SYNTAX', 'The query has no tabular expression to return', { line: 1, column: 1 });
  return result;
}

function constCount(e: Expr, scope: EvalScope, what: string): number {
  const v = evalConstant(e, scope);
  if (typeof v !== 'number')
    throw new KqlError('KQL_ARGUMENT', `${what} needs a constant number of rows`, e.pos);
  return v;
}

/** `where`: top-level `and` terms filter one after another, so later terms see fewer rows. */
function runWhere(t: Table, predicate: Expr, scope: EvalScope): Table {
  if (predicate.kind === 'binary' && predicate.op === 'and') {
    return runWhere(runWhere(t, predicate.left, scope), predicate.right, scope);
  }
  const ranged = filterByRange(t, predicate, scope);
  if (ranged === null) return t;
  if (ranged) return selectRows(t, ranged);
  const v = evalExpr(predicate, { ...scope, table: t });
  if (v.col.kind !== 'bool')
    throw new KqlError('KQL_TYPE', `where needs a bool predicate, got ${v.col.type}`, predicate.pos);
  if (v.konst) return readCell(v.col, 0) === true ? t : selectRows(t, new Int32Array(0));
  const mask = v.col.values;
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1) count++;
  if (count === t.length) return t;
  const idx = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1) idx[k++] = i;
  return selectRows(t, idx);
}

function projectItems(t: Table, items: NamedExpr[], scope: EvalScope): Table {
  const taken = new Set<string>();
  const columns = items.map((item) => {
    const e = item.expr;
    if (e.kind === 'name' && item.name === null) {
      const tc = findColumn(t, e.name);
      if (tc) {
        taken.add(e.name);
        return { ...tc };
      }
    }
    const name = uniqueName(item.name ?? deriveName(e), taken);
    const col: Column = expandVal(evalExpr(e, { ...scope, table: t }), t.length);
    return { name, col, sel: null };
  });
  return { length: t.length, columns };
}
