import { buildColumn, buildStringColumn } from './build-column.ts';
import type { Column } from './column.ts';
import { KqlError, type SourcePos } from './errors.ts';
import { makeTable, readTableCell, type Table } from './table.ts';
import type { KqlType } from './types.ts';

/** `union`: columns matched by name, missing ones filled with nulls, rows concatenated in order. */
export function runUnion(tables: Table[], pos: SourcePos): Table {
  const types = new Map<string, KqlType>();
  for (const t of tables) {
    for (const c of t.columns) {
      const seen = types.get(c.name);
      if (seen && seen !== c.col.type) {
        throw new KqlError(
          'KQL_TYPE',
          `union: column "${c.name}" is ${seen} in one input and ${c.col.type} in another`,
          pos,
        );
      }
      types.set(c.name, c.col.type);
    }
  }
  const cols: { name: string; col: Column }[] = [];
  for (const [name, type] of types) {
    const values: unknown[] = [];
    for (const t of tables) {
      const tc = t.columns.find((c) => c.name === name);
      for (let r = 0; r < t.length; r++) values.push(tc ? readTableCell(tc, r) : null);
    }
    cols.push({ name, col: type === 'string' ? buildStringColumn(values) : buildColumn(type, values) });
  }
  return makeTable(cols);
}
