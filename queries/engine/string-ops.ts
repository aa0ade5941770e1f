import type { Column } from './column.ts';
import { mapDict } from './compare.ts';
import { KqlError, type SourcePos } from './errors.ts';
import { cellAt, newBool, resultLength, type Val } from './value.ts';

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/**
 * `has`: the needle must appear as a whole term, i.e. not preceded or followed by an alphanumeric
 * character (Kusto's term index semantics, applied here by scanning).
 */
export function hasTerm(haystack: string, needle: string): boolean {
  if (needle === '') return true;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const before = at === 0 ? undefined : haystack[at - 1];
    const after = haystack[at + needle.length];
    const startsWord = isWordChar(needle[0]);
    const endsWord = isWordChar(needle[needle.length - 1]);
    if ((!startsWord || !isWordChar(before)) && (!endsWord || !isWordChar(after))) return true;
    from = at + 1;
  }
}

/** Finds `needle` starting a term (`atStart`) and/or ending one (`atEnd`). */
function hasAt(haystack: string, needle: string, atStart: boolean, atEnd: boolean): boolean {
  if (needle === '') return true;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const startOk = !atStart || !isWordChar(haystack[at - 1]);
    const endOk = !atEnd || !isWordChar(haystack[at + needle.length]);
    if (startOk && endOk) return true;
  }
  return false;
}

const BASE_TESTS: Record<string, (h: string, n: string) => boolean> = {
  has: hasTerm,
  contains: (h, n) => h.includes(n),
  startswith: (h, n) => h.startsWith(n),
  endswith: (h, n) => h.endsWith(n),
  hasprefix: (h, n) => hasAt(h, n, true, false),
  hassuffix: (h, n) => hasAt(h, n, false, true),
};

/** Evaluates `has`, `contains`, `startswith`, `endswith` (and `!`/`_cs` variants) on strings. */
export function evalStringOp(op: string, a: Val, b: Val, n: number, pos: SourcePos): Val {
  const negated = op.startsWith('!');
  const name = negated ? op.slice(1) : op;
  const cs = name.endsWith('_cs');
  const test = BASE_TESTS[cs ? name.slice(0, -3) : name];
  if (!test) throw new KqlError('KQL_UNSUPPORTED_OPERATOR', `The "${op}" operator is not supported`, pos);
  if (a.col.kind !== 'str' || b.col.kind !== 'str') {
    throw new KqlError('KQL_TYPE', `"${op}" needs string operands, got ${a.col.type} and ${b.col.type}`, pos);
  }
  const fold = (s: string): string => (cs ? s : s.toLowerCase());
  const pred = (h: string, nd: string): boolean => test(fold(h), fold(nd)) !== negated;
  if (b.konst && !a.konst) {
    const needle = (cellAt(b, 0) as string | null) ?? '';
    return { col: mapDict(a.col, (s) => pred(s, needle)), konst: false };
  }
  const { len, konst } = resultLength([a, b], n);
  const out = newBool(len);
  for (let i = 0; i < len; i++) {
    out.values[i] = pred((cellAt(a, i) as string | null) ?? '', (cellAt(b, i) as string | null) ?? '')
      ? 1
      : 0;
  }
  return { col: out, konst };
}

/** Flattens `in` list values: constants, and dynamic arrays bound with let. */
function listValues(list: Val[], pos: SourcePos): unknown[] {
  const out: unknown[] = [];
  for (const v of list) {
    if (!v.konst)
      throw new KqlError('KQL_UNSUPPORTED_SYNTAX', 'Only constant lists are supported after "in"', pos);
    const x = cellAt(v, 0);
    if (Array.isArray(x)) out.push(...x);
    else out.push(x);
  }
  return out;
}

/** `x in (...)`, `x !in (...)`, `x in~ (...)`. A null x is never in a list. */
export function evalIn(arg: Val, list: Val[], negated: boolean, ci: boolean, n: number, pos: SourcePos): Val {
  const values = listValues(list, pos);
  const c: Column = arg.col;
  if (c.kind === 'str') {
    const set = new Set(values.map((v) => (ci ? String(v).toLowerCase() : String(v))));
    const col = mapDict(c, (s) => set.has(ci ? s.toLowerCase() : s) !== negated);
    if (c.codes.indexOf(-1) >= 0)
      for (let i = 0; i < c.codes.length; i++) if (c.codes[i] === -1) col.values[i] = negated ? 1 : 0;
    return { col, konst: arg.konst };
  }
  const set = new Set(values.map((v) => (typeof v === 'string' && c.kind === 'num' ? Number(v) : v)));
  const len = arg.konst ? 1 : n;
  const out = newBool(len);
  for (let i = 0; i < len; i++) {
    const x = cellAt(arg, i);
    out.values[i] = x === null ? (negated ? 1 : 0) : set.has(x) !== negated ? 1 : 0;
  }
  return { col: out, konst: arg.konst };
}

/** `x has_any (a, b, ...)`: true when x has any of the terms (case-insensitive, like `has`). */
export function evalHasAny(arg: Val, list: Val[], pos: SourcePos): Val {
  const terms = listValues(list, pos).map((v) => String(v).toLowerCase());
  if (arg.col.kind !== 'str')
    throw new KqlError('KQL_TYPE', `has_any needs a string, got ${arg.col.type}`, pos);
  const col = mapDict(arg.col, (s) => {
    const h = s.toLowerCase();
    return terms.some((t) => hasTerm(h, t));
  });
  return { col, konst: arg.konst };
}
