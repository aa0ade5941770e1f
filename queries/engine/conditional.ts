import { KqlError, type SourcePos } from './errors.ts';
import type { KqlType } from './types.ts';
import { mapRows, type Val } from './value.ts';

/** Result type shared by the branches: numbers widen to real, anything else must match. */
function branchType(name: string, branches: Val[], pos: SourcePos): KqlType {
  const types = [...new Set(branches.map((b) => b.col.type))];
  if (types.length === 1) return types[0]!;
  if (types.every((t) => t === 'long' || t === 'int' || t === 'real'))
    return types.includes('real') ? 'real' : 'long';
  if (types.includes('dynamic')) return 'dynamic';
  throw new KqlError('KQL_TYPE', `${name}() branches have different types: ${types.join(', ')}`, pos);
}

/**
 * `iff(c, a, b)` and `case(c1, v1, ..., else)`. A null condition counts as false (takes the next
 * branch), as in Kusto.
 */
export function evalConditional(name: string, args: Val[], n: number, pos: SourcePos): Val {
  const isCase = name === 'case';
  if ((!isCase && args.length !== 3) || (isCase && (args.length < 3 || args.length % 2 === 0))) {
    throw new KqlError('KQL_ARGUMENT', `${name}() has the wrong number of arguments (${args.length})`, pos);
  }
  const conds: Val[] = [];
  const branches: Val[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    const c = args[i]!;
    if (c.col.kind !== 'bool')
      throw new KqlError('KQL_TYPE', `${name}() conditions must be bool, got ${c.col.type}`, pos);
    conds.push(c);
    branches.push(args[i + 1]!);
  }
  branches.push(args[args.length - 1]!);
  const type = branchType(name, branches, pos);
  const all = [...conds, ...branches];
  // Evaluate row-wise over already-computed columns: each branch value is read only where chosen.
  return mapRows(all, n, type, (vals) => {
    for (let k = 0; k < conds.length; k++) if (vals[k] === true) return vals[conds.length + k];
    return vals[all.length - 1];
  });
}
