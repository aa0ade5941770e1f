import type { Expr } from './ast.ts';

/** The column a bare expression is named after: `bin(TimeGenerated, 1h)` → `TimeGenerated`. */
export function deriveName(e: Expr): string | null {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'member': {
      const base = deriveName(e.target);
      const key = e.key.kind === 'literal' ? String(e.key.value) : null;
      return base && key !== null ? `${base}_${key.replace(/[^A-Za-z0-9_]/g, '_')}` : base;
    }
    case 'call':
      return e.args[0] ? deriveName(e.args[0]) : null;
    default:
      return null;
  }
}

/** Default name of an aggregation column as Kusto forms it (`count_`, `avg_DurationMs`, ...). */
export function aggregateName(name: string, args: Expr[], percent?: number): string {
  const base = args[0] ? (deriveName(args[0]) ?? '') : '';
  if (name === 'percentile' || name === 'percentiles') {
    return `percentile_${base}_${String(percent).replace('.', '_')}`;
  }
  if (name === 'count' || name === 'countif') return `${name}_`;
  return `${name}_${base}`;
}

/** Gives unnamed columns a unique name: the derived one, or Column1, Column2, ... */
export function uniqueName(wanted: string | null, taken: Set<string>): string {
  let name = wanted;
  if (name === null || taken.has(name)) {
    let k = 1;
    const stem = name ?? 'Column';
    while (taken.has(`${stem}${k}`)) k++;
    name = `${stem}${k}`;
  }
  taken.add(name);
  return name;
}
