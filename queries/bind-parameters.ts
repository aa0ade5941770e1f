import type { DeclaredParam } from './engine/ast.ts';
import { KqlError } from './engine/errors.ts';
import { tokenize } from './engine/lexer.ts';
import { formatDatetime, parseDatetimeText, parseTimespanToken } from './engine/literals.ts';
import { parseQuery } from './engine/parse-query.ts';
import type { KqlType } from './engine/types.ts';

/** Error codes of parameter binding. */
export type BindErrorCode =
  | 'BIND_NO_DECLARE'
  | 'BIND_UNKNOWN_PARAMETER'
  | 'BIND_MISSING_PARAMETER'
  | 'BIND_INVALID_VALUE'
  | 'BIND_BAD_DECLARE'
  | 'BIND_UNKNOWN_QUERY';

/** A parameter could not be bound; `parameter` names it when one is at fault. */
export class BindError extends Error {
  constructor(
    readonly code: BindErrorCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'BindError';
  }
}

/**
 * A `dynamic` parameter value: a property bag of finite numbers, nested at most two deep, with
 * plain keys. Nothing else can be bound as dynamic, so its literal holds only name characters,
 * digits and JSON punctuation (see {@link renderDynamicBag}).
 */
export interface NumberBag {
  readonly [key: string]: number | NumberBag;
}

/** A parameter value as the caller supplies it (timespans in ms or `15m` text, datetimes as Date/ISO/ms). */
export type ParamValue = string | number | boolean | Date | NumberBag;

/** Keys a dynamic parameter may use: letters, digits, `.`, `_`, `-` (deployment names, field names). */
export const BAG_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_BAG_DEPTH = 2;
const MAX_BAG_KEYS = 200;

/** Renders a string as a double-quoted KQL literal; control, separator and lone surrogate characters become `\uXXXX`. */
export function renderKqlString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029)
      out += unicodeEscape(code);
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + s[i + 1]!;
        i++;
      } else out += unicodeEscape(code);
    } else if (code >= 0xdc00 && code <= 0xdfff) out += unicodeEscape(code);
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Renders a bag of numbers as a KQL `dynamic({...})` literal, or returns why it cannot. Keys must
 * match {@link BAG_KEY} and values be finite numbers or bags, so the text can contain no quote,
 * bracket, pipe, semicolon or newline that is not the literal's own JSON punctuation.
 */
export function renderDynamicBag(v: unknown): string | { error: string } {
  let keys = 0;
  const render = (bag: unknown, depth: number): string | { error: string } => {
    if (
      bag === null ||
      typeof bag !== 'object' ||
      Array.isArray(bag) ||
      Object.getPrototypeOf(bag) !== Object.prototype
    )
      return { error: 'expected a property bag of numbers' };
    if (depth > MAX_BAG_DEPTH) return { error: `nested deeper than ${MAX_BAG_DEPTH}` };
    const parts: string[] = [];
    for (const [key, value] of Object.entries(bag)) {
      if (++keys > MAX_BAG_KEYS) return { error: `more than ${MAX_BAG_KEYS} keys` };
      if (!BAG_KEY.test(key))
        return { error: `key "${key.slice(0, 40)}" is not letters, digits, ".", "_" or "-"` };
      let inner: string | { error: string };
      if (typeof value === 'number')
        inner = Number.isFinite(value) ? JSON.stringify(value) : { error: `"${key}" is not finite` };
      else inner = render(value, depth + 1);
      if (typeof inner !== 'string') return inner;
      parts.push(`"${key}":${inner}`);
    }
    return `{${parts.join(',')}}`;
  };
  const body = render(v, 1);
  return typeof body === 'string' ? `dynamic(${body})` : body;
}

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

function invalid(p: DeclaredParam, why: string): never {
  throw new BindError('BIND_INVALID_VALUE', `Parameter "${p.name}" (${p.type}): ${why}`, p.name);
}

function toMs(p: DeclaredParam, v: ParamValue): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) invalid(p, 'must be a finite number of milliseconds');
    return v;
  }
  if (typeof v === 'string' && /^\d+(\.\d+)?(d|h|m|s|ms)$/.test(v))
    return parseTimespanToken(v, { line: 0, column: 0 });
  return invalid(p, 'expected milliseconds or a duration such as 15m, 1h, 7d');
}

/** Validates a value against its declared type and renders it as a KQL literal. */
export function renderLiteral(p: DeclaredParam, v: ParamValue): string {
  const t: KqlType = p.type;
  switch (t) {
    case 'string':
      if (typeof v !== 'string') invalid(p, 'expected a string');
      return renderKqlString(v);
    case 'long':
    case 'int': {
      const limit = t === 'int' ? 2 ** 31 : Number.MAX_SAFE_INTEGER + 1;
      if (typeof v !== 'number' || !Number.isInteger(v) || v >= limit || v < -limit)
        invalid(p, `expected an integer (${t})`);
      return `${t}(${v})`;
    }
    case 'real':
      if (typeof v !== 'number' || !Number.isFinite(v)) invalid(p, 'expected a finite number');
      return `real(${v})`;
    case 'bool':
      if (typeof v !== 'boolean') invalid(p, 'expected true or false');
      return v ? 'true' : 'false';
    case 'timespan': {
      const ms = toMs(p, v);
      const ticks = Math.round(ms * 10_000);
      return Number.isInteger(ms) ? `${ms}ms` : `${ticks}tick`;
    }
    case 'datetime': {
      const ms =
        v instanceof Date
          ? v.getTime()
          : typeof v === 'number'
            ? v
            : typeof v === 'string'
              ? parseDatetimeText(v)
              : null;
      if (ms === null || !Number.isFinite(ms))
        invalid(p, 'expected a Date, epoch milliseconds or ISO 8601 text');
      return `datetime(${formatDatetime(ms)})`;
    }
    case 'dynamic': {
      const literal = renderDynamicBag(v);
      if (typeof literal !== 'string') invalid(p, literal.error);
      return literal;
    }
    default:
      return invalid(p, `type ${t} cannot be bound`);
  }
}

/** Finds the leading `declare query_parameters(...);` statement: its span and its parameters. */
export function findDeclaration(text: string): { start: number; end: number; params: DeclaredParam[] } {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(text);
  } catch (e) {
    throw new BindError('BIND_BAD_DECLARE', `Query text does not tokenize: ${(e as Error).message}`);
  }
  const first = tokens[0];
  if (first?.kind !== 'ident' || first.text !== 'declare') {
    throw new BindError('BIND_NO_DECLARE', 'The query must start with declare query_parameters(...);');
  }
  const semi = tokens.find((t) => t.kind === 'punct' && t.text === ';');
  if (!semi) throw new BindError('BIND_BAD_DECLARE', 'The declare statement must end with ";"');
  const start = first.offset;
  const end = semi.offset + 1;
  try {
    const st = parseQuery(text.slice(start, end)).statements[0];
    if (st?.kind !== 'declare') throw new BindError('BIND_BAD_DECLARE', 'Malformed declare statement');
    return { start, end, params: st.params };
  } catch (e) {
    if (e instanceof KqlError) throw new BindError('BIND_BAD_DECLARE', e.message);
    throw e;
  }
}

/**
 * Replaces the query's `declare query_parameters(...)` statement with `let` bindings of validated
 * values rendered as literals; parameters not supplied keep their declared default. The rest of
 * the text is returned byte for byte. This is the only place that builds query text.
 */
export function bindParameters(
  text: string,
  values: Readonly<Record<string, ParamValue | undefined>>,
): string {
  const { start, end, params } = findDeclaration(text);
  for (const key of Object.keys(values)) {
    if (values[key] !== undefined && !params.some((p) => p.name === key)) {
      throw new BindError('BIND_UNKNOWN_PARAMETER', `The query declares no parameter "${key}"`, key);
    }
  }
  const lets = params.map((p) => {
    const v = values[p.name];
    if (v !== undefined) return `let ${p.name} = ${renderLiteral(p, v)};`;
    if (!p.defaultValue)
      throw new BindError('BIND_MISSING_PARAMETER', `Parameter "${p.name}" needs a value`, p.name);
    // The default is the reviewed text of the file itself: keep it exactly.
    const span = declarationDefaultText(text.slice(start, end), p);
    return `let ${p.name} = ${span};`;
  });
  return text.slice(0, start) + lets.join(' ') + text.slice(end);
}

/** Extracts the source text of one parameter's default value from the declare statement. */
function declarationDefaultText(declText: string, p: DeclaredParam): string {
  const tokens = tokenize(declText);
  const at = tokens.findIndex(
    (t) => t.kind === 'ident' && t.text === p.name && t.line === p.pos.line && t.column === p.pos.column,
  );
  let depth = 0;
  let i = tokens.findIndex((t, k) => k > at && t.kind === 'punct' && t.text === '=') + 1;
  const from = tokens[i]!.offset;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) {
      if (depth === 0) break;
      depth--;
    }
    if (depth === 0 && t.kind === 'punct' && t.text === ',') break;
  }
  return declText.slice(from, tokens[i]!.offset).trim();
}
