import type { Operator } from './ast.ts';
import { type Column, gatherOrNull, readCell } from './column.ts';
import { KqlError } from './errors.ts';
import { denseColumn, findColumn, makeTable, selectRows, type Table } from './table.ts';

type JoinOp = Extract<Operator, { op: 'join' }>;

function keyOf(cols: Column[], row: number): string {
  return JSON.stringify(cols.map((c) => readCell(c, row)));
}

function keyColumns(t: Table, names: string[], op: JoinOp): Column[] {
  return names.map((name) => {
    const tc = findColumn(t, name);
    if (!tc) throw new KqlError('KQL_UNKNOWN_NAME', `join key "${name}" is not a column`, op.pos);
    return denseColumn(tc);
  });
}

/**
 * Hash join. `innerunique` (Kusto's default) keeps one left row per key; right columns whose
 * names clash get a `1` suffix, as Kusto does. Null keys never match.
 */
export function runJoin(left: Table, right: Table, op: JoinOp): Table {
  const lk = keyColumns(
    left,
    op.on.map((o) => o.left),
    op,
  );
  const rk = keyColumns(
    right,
    op.on.map((o) => o.right),
    op,
  );
  const index = new Map<string, number[]>();
  for (let j = 0; j < right.length; j++) {
    if (rk.some((c) => readCell(c, j) === null)) continue;
    const k = keyOf(rk, j);
    const list = index.get(k);
    if (list) list.push(j);
    else index.set(k, [j]);
  }
  const li: number[] = [];
  const ri: number[] = [];
  const seenLeft = new Set<string>();
  for (let i = 0; i < left.length; i++) {
    const hasNull = lk.some((c) => readCell(c, i) === null);
    const k = keyOf(lk, i);
    if (op.kind === 'innerunique') {
      if (seenLeft.has(k)) continue;
      seenLeft.add(k);
    }
    const matches = hasNull ? undefined : index.get(k);
    if (op.kind === 'leftsemi' || op.kind === 'leftanti') {
      if ((matches !== undefined) === (op.kind === 'leftsemi')) li.push(i);
      continue;
    }
    if (matches) {
      for (const j of matches) {
        li.push(i);
        ri.push(j);
      }
    } else if (op.kind === 'leftouter') {
      li.push(i);
      ri.push(-1);
    }
  }
  const leftRows = selectRows(left, Int32Array.from(li));
  if (op.kind === 'leftsemi' || op.kind === 'leftanti') return leftRows;
  const rIdx = Int32Array.from(ri);
  const names = new Set(left.columns.map((c) => c.name));
  const cols = leftRows.columns.map((c) => ({ name: c.name, col: denseColumn(c) }));
  for (const tc of right.columns) {
    let name = tc.name;
    let k = 1;
    while (names.has(name)) name = `${tc.name}${k++}`;
    names.add(name);
    cols.push({ name, col: gatherOrNull(denseColumn(tc), rIdx) });
  }
  return makeTable(cols);
}
