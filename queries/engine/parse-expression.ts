import type { Expr } from './ast.ts';
import { KqlError, type SourcePos } from './errors.ts';
import type { Token } from './lexer.ts';
import {
  parseDatetimeLiteral,
  parseDynamicLiteral,
  parseTimespanLiteral,
  parseTimespanToken,
} from './literals.ts';
import type { TokenCursor } from './token-cursor.ts';

const COMPARISON = new Set(['==', '!=', '<>', '<', '<=', '>', '>=', '=~', '!~']);
const STRING_OPS = new Set([
  'has',
  'has_cs',
  'contains',
  'contains_cs',
  'startswith',
  'startswith_cs',
  'endswith',
  'endswith_cs',
  'hasprefix',
  'hassuffix',
]);
const CAST_LITERALS: Record<string, { fn: string; type: 'long' | 'int' | 'real' | 'bool' | 'string' }> = {
  long: { fn: 'tolong', type: 'long' },
  int: { fn: 'toint', type: 'int' },
  real: { fn: 'toreal', type: 'real' },
  double: { fn: 'toreal', type: 'real' },
  bool: { fn: 'tobool', type: 'bool' },
  string: { fn: 'tostring', type: 'string' },
};

const at = (t: Token): SourcePos => ({ line: t.line, column: t.column });

/** Parses one scalar expression at the cursor (the full precedence ladder of KQL). */
export function parseExpression(c: TokenCursor): Expr {
  return parseOr(c);
}

function parseOr(c: TokenCursor): Expr {
  let left = parseAnd(c);
  while (c.isWord('or')) {
    const t = c.next();
    left = { kind: 'binary', op: 'or', left, right: parseAnd(c), pos: at(t) };
  }
  return left;
}

function parseAnd(c: TokenCursor): Expr {
  let left = parseComparison(c);
  while (c.isWord('and')) {
    const t = c.next();
    left = { kind: 'binary', op: 'and', left, right: parseComparison(c), pos: at(t) };
  }
  return left;
}

/** Reads a comparison-level operator name (`==`, `!contains`, `in~` ...) or null. */
function peekComparisonOp(c: TokenCursor): { op: string; width: number } | null {
  const t = c.peek();
  if (t.kind === 'punct' && COMPARISON.has(t.text)) return { op: t.text === '<>' ? '!=' : t.text, width: 1 };
  const negated = t.kind === 'punct' && t.text === '!' && c.peek(1).kind === 'ident' && !c.peek(1).spaced;
  const word = negated ? c.peek(1) : t;
  if (word.kind !== 'ident') return null;
  const base = word.text;
  const known = STRING_OPS.has(base) || base === 'in' || base === 'between' || base === 'has_any';
  if (!known && !(base === 'matches' && !negated)) return null;
  let op = negated ? `!${base}` : base;
  let width = negated ? 2 : 1;
  const tilde = c.peek(width);
  if (base === 'in' && tilde.kind === 'punct' && tilde.text === '~' && !tilde.spaced) {
    op += '~';
    width++;
  }
  return { op, width };
}

function parseComparison(c: TokenCursor): Expr {
  let left = parseAdditive(c);
  for (;;) {
    const found = peekComparisonOp(c);
    if (!found) return left;
    const t = c.peek();
    for (let k = 0; k < found.width; k++) c.next();
    const pos = at(t);
    const op = found.op;
    if (op === 'matches') {
      throw new KqlError('KQL_UNSUPPORTED_OPERATOR', 'The "matches regex" operator is not supported', pos);
    }
    if (op.startsWith('in') || op.startsWith('!in') || op === 'has_any') {
      const list = parseParenList(c);
      if (op === 'has_any') left = { kind: 'call', name: 'has_any', args: [left, ...list], pos };
      else {
        const negated = op.startsWith('!');
        left = { kind: 'in', negated, caseInsensitive: op.endsWith('~'), arg: left, list, pos };
      }
    } else if (op === 'between' || op === '!between') {
      c.expectPunct('(');
      const low = parseAdditive(c);
      c.expectPunct('..');
      const high = parseAdditive(c);
      c.expectPunct(')');
      left = { kind: 'between', negated: op === '!between', arg: left, low, high, pos };
    } else {
      left = { kind: 'binary', op, left, right: parseAdditive(c), pos };
    }
  }
}

function parseParenList(c: TokenCursor): Expr[] {
  c.expectPunct('(');
  const items: Expr[] = [];
  if (!c.isPunct(')')) {
    do items.push(parseExpression(c));
    while (c.acceptPunct(','));
  }
  c.expectPunct(')');
  return items;
}

function parseAdditive(c: TokenCursor): Expr {
  let left = parseMultiplicative(c);
  while (c.isPunct('+') || c.isPunct('-')) {
    const t = c.next();
    left = { kind: 'binary', op: t.text, left, right: parseMultiplicative(c), pos: at(t) };
  }
  return left;
}

function parseMultiplicative(c: TokenCursor): Expr {
  let left = parseUnary(c);
  while (c.isPunct('*') || c.isPunct('/') || c.isPunct('%')) {
    const t = c.next();
    left = { kind: 'binary', op: t.text, left, right: parseUnary(c), pos: at(t) };
  }
  return left;
}

function parseUnary(c: TokenCursor): Expr {
  if (c.isPunct('-') || c.isPunct('+')) {
    const t = c.next();
    const arg = parseUnary(c);
    if (t.text === '-' && arg.kind === 'literal' && typeof arg.value === 'number') {
      return { ...arg, value: -arg.value, pos: at(t) };
    }
    return { kind: 'unary', op: t.text as '-' | '+', arg, pos: at(t) };
  }
  return parsePostfix(c);
}

function parsePostfix(c: TokenCursor): Expr {
  let e = parsePrimary(c);
  for (;;) {
    if (c.isPunct('.') && c.peek(1).kind === 'ident') {
      const dot = c.next();
      const key = c.next();
      e = {
        kind: 'member',
        target: e,
        key: { kind: 'literal', type: 'string', value: key.text, pos: at(key) },
        pos: at(dot),
      };
    } else if (c.isPunct('.') && c.isPunct('[', 1)) {
      c.next();
    } else if (c.isPunct('[')) {
      const t = c.next();
      const key = parseExpression(c);
      c.expectPunct(']');
      e = { kind: 'member', target: e, key, pos: at(t) };
    } else return e;
  }
}

function parsePrimary(c: TokenCursor): Expr {
  const t = c.peek();
  const pos = at(t);
  switch (t.kind) {
    case 'number': {
      c.next();
      const isReal = /[.eE]/.test(t.text);
      return { kind: 'literal', type: isReal ? 'real' : 'long', value: Number(t.text), pos };
    }
    case 'string': {
      c.next();
      let value = t.text;
      // Adjacent string literals concatenate, as in KQL.
      while (c.peek().kind === 'string') value += c.next().text;
      return { kind: 'literal', type: 'string', value, pos };
    }
    case 'timespan':
      c.next();
      return { kind: 'literal', type: 'timespan', value: parseTimespanToken(t.text, pos), pos };
    case 'raw':
      c.next();
      return parseRawLiteral(t, pos);
    case 'punct':
      return parsePunctPrimary(c, t, pos);
    case 'ident':
      return parseIdentPrimary(c, t, pos);
    default:
      return c.fail('Expected an expression');
  }
}

function parsePunctPrimary(c: TokenCursor, t: Token, pos: SourcePos): Expr {
  if (t.text === '(') {
    c.next();
    const e = parseExpression(c);
    c.expectPunct(')');
    return e;
  }
  if (t.text === '[' && c.peek(1).kind === 'string') {
    c.next();
    const name = c.next().text;
    c.expectPunct(']');
    return { kind: 'name', name, pos };
  }
  if (t.text === '$' && c.peek(1).kind === 'ident') {
    c.next();
    const side = c.next().text;
    if (side !== 'left' && side !== 'right') c.fail('Expected $left or $right');
    c.expectPunct('.');
    const name = c.expectIdent('a column name').text;
    return { kind: 'side', side, name, pos };
  }
  if (t.text === '*') {
    c.next();
    return { kind: 'star', pos };
  }
  return c.fail('Expected an expression');
}

function parseIdentPrimary(c: TokenCursor, t: Token, pos: SourcePos): Expr {
  c.next();
  if (t.text === 'true' || t.text === 'false')
    return { kind: 'literal', type: 'bool', value: t.text === 'true', pos };
  if (!c.isPunct('(')) return { kind: 'name', name: t.text, pos };
  const cast = CAST_LITERALS[t.text];
  if (cast && c.isWord('null', 1) && c.isPunct(')', 2)) {
    c.next();
    c.next();
    c.next();
    return { kind: 'literal', type: cast.type, value: null, pos };
  }
  const args = parseParenList(c);
  return { kind: 'call', name: cast ? cast.fn : t.text, args, pos };
}

function parseRawLiteral(t: Token, pos: SourcePos): Expr {
  const body = t.text;
  switch (t.keyword) {
    case 'datetime':
      return {
        kind: 'literal',
        type: 'datetime',
        value: body === 'null' ? null : parseDatetimeLiteral(body, pos),
        pos,
      };
    case 'timespan':
      return {
        kind: 'literal',
        type: 'timespan',
        value: body === 'null' ? null : parseTimespanLiteral(body, pos),
        pos,
      };
    case 'guid':
      return { kind: 'literal', type: 'string', value: body === 'null' ? '' : body, pos };
    default:
      return { kind: 'literal', type: 'dynamic', value: parseDynamicLiteral(body, pos), pos };
  }
}
