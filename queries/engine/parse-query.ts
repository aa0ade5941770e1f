import type { DeclaredParam, Operator, QueryAst, Statement, TabularExpr, TabularSource } from './ast.ts';
import { KqlError, type SourcePos } from './errors.ts';
import { tokenize } from './lexer.ts';
import { parseExpression } from './parse-expression.ts';
import { parseNamedList, parseNamePatterns, parseRenames, parseSortKeys, skipRender } from './parse-lists.ts';
import { TokenCursor } from './token-cursor.ts';
import { type KqlType, TYPE_ALIASES } from './types.ts';

const posOf = (c: TokenCursor): SourcePos => c.pos();

/** Parses KQL text into statements. Throws {@link KqlError} with a position on any problem. */
export function parseQuery(text: string): QueryAst {
  const c = new TokenCursor(tokenize(text));
  const statements: Statement[] = [];
  while (c.peek().kind !== 'eof') {
    if (c.acceptPunct(';')) continue;
    statements.push(parseStatement(c));
    if (c.peek().kind !== 'eof') c.expectPunct(';');
  }
  return { statements };
}

function parseStatement(c: TokenCursor): Statement {
  const pos = posOf(c);
  if (c.isWord('let')) {
    c.next();
    const name = c.expectIdent('a name after let').text;
    c.expectPunct('=');
    return { kind: 'let', name, value: parseLetValue(c), pos };
  }
  if (c.isWord('declare')) {
    c.next();
    c.expectWord('query_parameters');
    return { kind: 'declare', params: parseDeclaredParams(c), pos };
  }
  if (c.isWord('set') || c.isWord('alias') || c.isWord('pattern')) {
    throw new KqlError('KQL_UNSUPPORTED_SYNTAX', `The "${c.peek().text}" statement is not supported`, pos);
  }
  return { kind: 'query', body: parseTabular(c), pos };
}

function parseLetValue(
  c: TokenCursor,
): { tabular: TabularExpr } | { scalar: ReturnType<typeof parseExpression> } {
  const pos = posOf(c);
  const isLambda = c.isPunct('(') && ((c.isPunct(')', 1) && c.isPunct('{', 2)) || c.isPunct(':', 2));
  if (isLambda)
    throw new KqlError('KQL_UNSUPPORTED_SYNTAX', 'User-defined functions in let are not supported', pos);
  if (c.isWord('materialize') && c.isPunct('(', 1)) {
    c.next();
    c.next();
    const tabular = parseTabular(c);
    c.expectPunct(')');
    return { tabular };
  }
  if (c.isWord('toscalar') && c.isPunct('(', 1)) {
    c.next();
    c.next();
    const query = parseTabular(c);
    c.expectPunct(')');
    return { scalar: { kind: 'toscalar', query, pos } };
  }
  if (startsTabular(c)) return { tabular: parseTabular(c) };
  const expr = parseExpression(c);
  if (c.isPunct('|')) {
    if (expr.kind !== 'name') c.fail('Expected ";" after a scalar let');
    return { tabular: { source: { kind: 'table', name: expr.name, pos: expr.pos }, ops: parseOperators(c) } };
  }
  return { scalar: expr };
}

function startsTabular(c: TokenCursor): boolean {
  return (
    (c.isWord('union') && !c.isPunct('(', 1)) ||
    (c.isWord('datatable') && c.isPunct('(', 1)) ||
    c.isWord('print')
  );
}

function parseDeclaredParams(c: TokenCursor): DeclaredParam[] {
  c.expectPunct('(');
  const params: DeclaredParam[] = [];
  if (!c.isPunct(')')) {
    do {
      const nameTok = c.expectIdent('a parameter name');
      c.expectPunct(':');
      const type = parseTypeName(c);
      const defaultValue = c.acceptPunct('=') ? parseExpression(c) : null;
      params.push({
        name: nameTok.text,
        type,
        defaultValue,
        pos: { line: nameTok.line, column: nameTok.column },
      });
    } while (c.acceptPunct(','));
  }
  c.expectPunct(')');
  return params;
}

function parseTypeName(c: TokenCursor): KqlType {
  const t = c.peek();
  const name = t.kind === 'raw' ? (t.keyword ?? '') : t.text;
  const type = TYPE_ALIASES[name];
  if (!type || (t.kind !== 'ident' && t.kind !== 'raw')) c.fail('Expected a type name');
  if (t.kind === 'raw' && t.text !== '') c.fail('Expected a type name');
  c.next();
  return type;
}

/** Parses a tabular source and its pipeline. */
export function parseTabular(c: TokenCursor): TabularExpr {
  return { source: parseSource(c), ops: parseOperators(c) };
}

function parseSource(c: TokenCursor): TabularSource {
  const pos = posOf(c);
  if (c.acceptPunct('(')) {
    const inner = parseTabular(c);
    c.expectPunct(')');
    if (inner.ops.length === 0) return inner.source;
    return { kind: 'union', sources: [inner], pos };
  }
  if (c.isWord('union')) {
    c.next();
    return { kind: 'union', sources: parseUnionSources(c), pos };
  }
  if (c.isWord('datatable') && c.isPunct('(', 1)) return parseDatatable(c);
  if (c.isWord('print')) {
    c.next();
    return { kind: 'print', items: parseNamedList(c), pos };
  }
  const t = c.expectIdent('a table name');
  if (c.isPunct('(')) {
    throw new KqlError('KQL_UNSUPPORTED_FUNCTION', `Tabular function "${t.text}" is not supported`, t);
  }
  return { kind: 'table', name: t.text, pos };
}

function parseDatatable(c: TokenCursor): TabularSource {
  const pos = posOf(c);
  c.next();
  c.expectPunct('(');
  const columns: { name: string; type: KqlType }[] = [];
  do {
    const name = c.expectIdent('a column name').text;
    c.expectPunct(':');
    columns.push({ name, type: parseTypeName(c) });
  } while (c.acceptPunct(','));
  c.expectPunct(')');
  c.expectPunct('[');
  const values = [];
  if (!c.isPunct(']')) {
    do values.push(parseExpression(c));
    while (c.acceptPunct(',') && !c.isPunct(']'));
  }
  c.expectPunct(']');
  return { kind: 'datatable', columns, values, pos };
}

function parseUnionSources(c: TokenCursor): TabularExpr[] {
  while (c.peek().kind === 'ident' && c.isPunct('=', 1)) {
    const opt = c.next();
    c.next();
    const value = c.next().text;
    if (!(opt.text === 'kind' && value === 'outer')) {
      throw new KqlError('KQL_UNSUPPORTED_SYNTAX', `union option ${opt.text}=${value} is not supported`, opt);
    }
  }
  const sources: TabularExpr[] = [];
  do {
    if (c.isPunct('(')) {
      c.next();
      sources.push(parseTabular(c));
      c.expectPunct(')');
    } else {
      const t = c.expectIdent('a table name');
      sources.push({ source: { kind: 'table', name: t.text, pos: t }, ops: [] });
    }
  } while (c.acceptPunct(','));
  return sources;
}

function parseOperators(c: TokenCursor): Operator[] {
  const ops: Operator[] = [];
  while (c.acceptPunct('|')) ops.push(parseOperator(c));
  return ops;
}

function parseOperator(c: TokenCursor): Operator {
  const t = c.readHyphenatedWord();
  const pos: SourcePos = { line: t.line, column: t.column };
  switch (t.text) {
    case 'where':
    case 'filter':
      return { op: 'where', predicate: parseExpression(c), pos };
    case 'extend':
      return { op: 'extend', items: parseNamedList(c), pos };
    case 'project':
      return { op: 'project', items: parseNamedList(c), pos };
    case 'project-away':
      return { op: 'project-away', patterns: parseNamePatterns(c), pos };
    case 'project-rename':
      return { op: 'project-rename', items: parseRenames(c), pos };
    case 'summarize':
      return parseSummarize(c, pos);
    case 'order':
    case 'sort':
      c.expectWord('by');
      return { op: 'sort', keys: parseSortKeys(c), pos };
    case 'top': {
      const count = parseExpression(c);
      c.expectWord('by');
      return { op: 'top', count, keys: parseSortKeys(c), pos };
    }
    case 'take':
    case 'limit':
      return { op: 'take', count: parseExpression(c), pos };
    case 'count':
      return { op: 'count', pos };
    case 'distinct':
      return { op: 'distinct', items: parseNamedList(c), pos };
    case 'join':
      return parseJoin(c, pos);
    case 'union':
      return { op: 'union', sources: parseUnionSources(c), pos };
    case 'render':
      skipRender(c);
      return { op: 'render', pos };
    default:
      throw new KqlError('KQL_UNSUPPORTED_OPERATOR', `The "${t.text}" operator is not supported`, pos);
  }
}

function parseSummarize(c: TokenCursor, pos: SourcePos): Operator {
  if (c.peek().kind === 'ident' && c.peek().text.startsWith('hint')) {
    throw new KqlError('KQL_UNSUPPORTED_SYNTAX', 'summarize hints are not supported', c.peek());
  }
  const aggs = c.isWord('by') ? [] : parseNamedList(c);
  const by = c.acceptWord('by') ? parseNamedList(c) : [];
  return { op: 'summarize', aggs, by, pos };
}

function parseJoin(c: TokenCursor, pos: SourcePos): Operator {
  let kind: 'inner' | 'innerunique' | 'leftouter' | 'leftsemi' | 'leftanti' = 'innerunique';
  while (c.peek().kind === 'ident' && c.isPunct('=', 1)) {
    const opt = c.next();
    c.next();
    const value = c.next();
    if (opt.text !== 'kind') {
      throw new KqlError('KQL_UNSUPPORTED_SYNTAX', `join option ${opt.text} is not supported`, opt);
    }
    const kinds = ['inner', 'innerunique', 'leftouter', 'leftsemi', 'leftanti'] as const;
    const found = kinds.find((k) => k === value.text);
    if (!found)
      throw new KqlError('KQL_UNSUPPORTED_OPERATOR', `join kind=${value.text} is not supported`, value);
    kind = found;
  }
  let right: TabularExpr;
  if (c.acceptPunct('(')) {
    right = parseTabular(c);
    c.expectPunct(')');
  } else {
    const t = c.expectIdent('the right side of join');
    right = { source: { kind: 'table', name: t.text, pos: t }, ops: [] };
  }
  c.expectWord('on');
  const on: { left: string; right: string }[] = [];
  do {
    const e = parseExpression(c);
    if (e.kind === 'name') on.push({ left: e.name, right: e.name });
    else if (e.kind === 'binary' && e.op === '==' && e.left.kind === 'side' && e.right.kind === 'side') {
      const l = e.left.side === 'left' ? e.left : e.right;
      const r = e.left.side === 'left' ? e.right : e.left;
      if (l.kind !== 'side' || r.kind !== 'side' || l.side === r.side) c.fail('Expected $left.x == $right.y');
      on.push({ left: l.name, right: r.name });
    } else
      throw new KqlError('KQL_UNSUPPORTED_SYNTAX', 'join on supports columns and $left.x == $right.y', e.pos);
  } while (c.acceptPunct(',') || c.acceptWord('and'));
  return { op: 'join', kind, right, on, pos };
}
