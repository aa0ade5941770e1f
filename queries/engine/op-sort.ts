import type { SortKey } from './ast.ts';
import { readCell } from './column.ts';
import { type EvalScope, evalExpr } from './eval-expression.ts';
import { selectRows, type Table } from './table.ts';
import { expandVal } from './value.ts';

/** Compares two non-null cells of the same column type. */
function compareCells(x: unknown, y: unknown): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  const a = JSON.stringify(x);
  const b = JSON.stringify(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Row comparator for the keys; ties keep input order (stable). Nulls go first for ascending and
 * last for descending keys unless `nulls first|last` says otherwise (Kusto's defaults).
 */
function rowComparator(table: Table, keys: SortKey[], scope: EvalScope): (i: number, j: number) => number {
  const inner: EvalScope = { ...scope, table };
  const cols = keys.map((k) => expandVal(evalExpr(k.expr, inner), table.length));
  const numeric = cols.map((c) => (c.kind === 'num' && !c.nulls ? c.values : null));
  return (i, j) => {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const fast = numeric[k];
      let d: number;
      if (fast) d = fast[i]! - fast[j]!;
      else {
        const x = readCell(cols[k]!, i);
        const y = readCell(cols[k]!, j);
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === key.nullsFirst ? -1 : 1;
        }
        d = compareCells(x, y);
      }
      if (d !== 0) return key.desc ? -d : d;
    }
    return i - j;
  };
}

/** `order by` / `sort by`. */
export function runSort(table: Table, keys: SortKey[], scope: EvalScope): Table {
  const cmp = rowComparator(table, keys, scope);
  const ids = Array.from({ length: table.length }, (_, i) => i).sort(cmp);
  return selectRows(table, Int32Array.from(ids));
}

/**
 * `top N by key`: a bounded heap keeps the best N rows seen so far (worst at the root), so most
 * rows cost one comparison and the input is never fully sorted.
 */
export function runTop(table: Table, count: number, keys: SortKey[], scope: EvalScope): Table {
  const limit = Math.max(0, Math.floor(count));
  const cmp = rowComparator(table, keys, scope);
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => cmp(heap[a]!, heap[b]!) > 0;
  const swap = (a: number, b: number): void => {
    const t = heap[a]!;
    heap[a] = heap[b]!;
    heap[b] = t;
  };
  for (let i = 0; i < table.length && limit > 0; i++) {
    if (heap.length < limit) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0 && worse(c, (c - 1) >> 1); c = (c - 1) >> 1) swap(c, (c - 1) >> 1);
    } else if (cmp(i, heap[0]!) < 0) {
      heap[0] = i;
      for (let p = 0; ; ) {
        const l = 2 * p + 1;
        const r = l + 1;
        let w = p;
        if (l < heap.length && worse(l, w)) w = l;
        if (r < heap.length && worse(r, w)) w = r;
        if (w === p) break;
        swap(p, w);
        p = w;
      }
    }
  }
  return selectRows(table, Int32Array.from(heap.sort(cmp)));
}
