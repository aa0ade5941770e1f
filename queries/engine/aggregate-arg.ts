import type { Expr } from './ast.ts';
import { type Column, gatherOrNull, readCell } from './column.ts';
import { deriveName } from './column-names.ts';
import { KqlError, type SourcePos } from './errors.ts';
import { type EvalScope, evalExpr } from './eval-expression.ts';
import type { Grouping } from './group-keys.ts';
import { denseColumn } from './table.ts';
import { expandVal } from './value.ts';

/** The row of each group where `values` is largest (or smallest); -1 for a group with no non-null value. */
function bestRows(c: Column, g: Grouping, n: number, max: boolean, pos: SourcePos): Int32Array {
  if (c.kind !== 'num' && c.kind !== 'str' && c.kind !== 'bool') {
    throw new KqlError('KQL_TYPE', `arg_${max ? 'max' : 'min'}() cannot compare ${c.type} values`, pos);
  }
  const best = new Int32Array(g.count).fill(-1);
  const bestValue = new Array<unknown>(g.count);
  for (let i = 0; i < n; i++) {
    const x = readCell(c, i);
    if (x === null) continue;
    const gi = g.gids[i]!;
    const cur = bestValue[gi];
    // Strictly better only: ties keep the first row seen.
    if (best[gi]! < 0 || (max ? (x as number) > (cur as number) : (x as number) < (cur as number))) {
      best[gi] = i;
      bestValue[gi] = x;
    }
  }
  return best;
}

/**
 * `arg_max(Expr, * | Col, ...)` / `arg_min(...)`: per group, the row with the largest (smallest)
 * Expr, returning Expr and the requested columns (`*`: every column not already a by-key).
 */
export function computeArgExtreme(
  call: Extract<Expr, { kind: 'call' }>,
  g: Grouping,
  scope: EvalScope,
  byNames: ReadonlySet<string>,
): { name: string | null; col: Column }[] {
  const [target, ...rest] = call.args;
  if (!target || rest.length === 0) {
    throw new KqlError(
      'KQL_ARGUMENT',
      `${call.name}() needs an expression and the columns to return`,
      call.pos,
    );
  }
  const n = scope.table.length;
  const targetCol = expandVal(evalExpr(target, scope), n);
  const rows = bestRows(targetCol, g, n, call.name === 'arg_max', call.pos);
  const targetName = deriveName(target);
  const out: { name: string | null; col: Column }[] = [
    { name: targetName, col: gatherOrNull(targetCol, rows) },
  ];
  for (const e of rest) {
    if (e.kind === 'star') {
      for (const tc of scope.table.columns) {
        if (byNames.has(tc.name) || tc.name === targetName) continue;
        out.push({ name: tc.name, col: gatherOrNull(denseColumn(tc), rows) });
      }
    } else out.push({ name: deriveName(e), col: gatherOrNull(expandVal(evalExpr(e, scope), n), rows) });
  }
  return out;
}
