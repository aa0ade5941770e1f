import type { NamedExpr, SortKey } from './ast.ts';
import { parseExpression } from './parse-expression.ts';
import type { TokenCursor } from './token-cursor.ts';

/** `name = expr, expr, (a, b) = expr ...` */
export function parseNamedList(c: TokenCursor): NamedExpr[] {
  const items: NamedExpr[] = [];
  do {
    if (c.peek().kind === 'ident' && c.isPunct('=', 1)) {
      const name = c.next().text;
      c.next();
      items.push({ name, expr: parseExpression(c) });
    } else if (c.isPunct('(') && c.peek(1).kind === 'ident' && (c.isPunct(',', 2) || c.isPunct(')', 2))) {
      const names: string[] = [];
      c.next();
      do names.push(c.expectIdent('a column name').text);
      while (c.acceptPunct(','));
      c.expectPunct(')');
      c.expectPunct('=');
      items.push({ name: null, names, expr: parseExpression(c) });
    } else items.push({ name: null, expr: parseExpression(c) });
  } while (c.acceptPunct(','));
  return items;
}

/** Column names with `*` wildcards (project-away). */
export function parseNamePatterns(c: TokenCursor): string[] {
  const out: string[] = [];
  do {
    let p = '';
    while (c.peek().kind === 'ident' || c.isPunct('*')) {
      const t = c.next();
      p += t.text;
      if (c.peek().spaced) break;
    }
    if (p === '') c.fail('Expected a column name');
    out.push(p);
  } while (c.acceptPunct(','));
  return out;
}

/** `new = old, ...` (project-rename). */
export function parseRenames(c: TokenCursor): { to: string; from: string }[] {
  const out: { to: string; from: string }[] = [];
  do {
    const to = c.expectIdent('a new column name').text;
    c.expectPunct('=');
    out.push({ to, from: c.expectIdent('a column name').text });
  } while (c.acceptPunct(','));
  return out;
}

/** `expr [asc|desc] [nulls first|last], ...` */
export function parseSortKeys(c: TokenCursor): SortKey[] {
  const keys: SortKey[] = [];
  do {
    const expr = parseExpression(c);
    let desc = true;
    if (c.acceptWord('asc')) desc = false;
    else c.acceptWord('desc');
    let nullsFirst = !desc;
    if (c.acceptWord('nulls')) {
      if (c.acceptWord('first')) nullsFirst = true;
      else {
        c.expectWord('last');
        nullsFirst = false;
      }
    }
    keys.push({ expr, desc, nullsFirst });
  } while (c.acceptPunct(','));
  return keys;
}

/** Skips the arguments of `render`, which the engine ignores. */
export function skipRender(c: TokenCursor): void {
  let depth = 0;
  for (;;) {
    const t = c.peek();
    if (t.kind === 'eof') return;
    if (depth === 0 && t.kind === 'punct' && (t.text === '|' || t.text === ';' || t.text === ')')) return;
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
    c.next();
  }
}
