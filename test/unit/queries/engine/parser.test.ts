import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../../queries/engine/ast.ts';
import { KqlError } from '../../../../queries/engine/errors.ts';
import { tokenize } from '../../../../queries/engine/lexer.ts';
import { parseQuery } from '../../../../queries/engine/parse-query.ts';

function syntaxError(text: string): KqlError {
  try {
    parseQuery(text);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

describe('lexer', () => {
  it('decodes string forms and keeps positions', () => {
    const t = tokenize('x == "a\\"b\\n" or y == @\'c\'\'d\' or z == h"s"\n  | take 1');
    const strings = t.filter((k) => k.kind === 'string').map((k) => k.text);
    expect(strings).toEqual(['a"b\n', "c'd", 's']);
    const take = t.find((k) => k.text === 'take')!;
    expect([take.line, take.column]).toEqual([2, 5]);
  });
  it('reads timespans, numbers and raw literals', () => {
    const t = tokenize('1h 15m 1.5d 100ms 42 4.2 1e3 datetime(2026-01-01 10:00) dynamic({"a": ")"})');
    expect(t.map((k) => k.kind).slice(0, -1)).toEqual([
      'timespan',
      'timespan',
      'timespan',
      'timespan',
      'number',
      'number',
      'number',
      'raw',
      'raw',
    ]);
    expect(t[8]!.text).toBe('{"a": ")"}');
  });
  it('skips comments and rejects stray characters with a position', () => {
    expect(tokenize('// hello\nT').map((k) => k.text)).toEqual(['T', '']);
    expect(() => tokenize('T | where x == #')).toThrowError(/line 1, column 16/);
  });
});

describe('parser', () => {
  it('parses statements, operators and precedence', () => {
    const ast = parseQuery(
      'let a = 1; let B = T | where x > a; B | project-away y | summarize c = count() by bin(ts, 1h)',
    );
    expect(ast.statements.map((s) => s.kind)).toEqual(['let', 'let', 'query']);
    const q = ast.statements[2]!;
    expect(q.kind === 'query' && q.body.ops.map((o) => o.op)).toEqual(['project-away', 'summarize']);
    const w = parseQuery('T | where a or b and c == 1 + 2 * 3').statements[0]!;
    const pred = w.kind === 'query' && w.body.ops[0]!.op === 'where' ? w.body.ops[0]!.predicate : null;
    const shape = (e: Expr): unknown =>
      e.kind === 'binary'
        ? [e.op, shape(e.left), shape(e.right)]
        : e.kind === 'name'
          ? e.name
          : e.kind === 'literal'
            ? e.value
            : e.kind;
    expect(shape(pred!)).toEqual(['or', 'a', ['and', 'b', ['==', 'c', ['+', 1, ['*', 2, 3]]]]]);
  });
  it('tells project-away from subtraction by spacing', () => {
    const ast = parseQuery('T | extend d = project - away');
    const op = ast.statements[0]!.kind === 'query' ? ast.statements[0]!.body.ops[0] : null;
    expect(op?.op).toBe('extend');
  });
  it('parses declare, join sides, in, between and negated operators', () => {
    const ast = parseQuery(
      'declare query_parameters(w:timespan = 1h, n:long);\nT | join kind=leftouter (U) on $left.a == $right.b | where x !in ("a") and y !between (1 .. 2) and s !contains "q"',
    );
    const d = ast.statements[0]!;
    expect(d.kind === 'declare' && d.params.map((p) => [p.name, p.type, p.defaultValue !== null])).toEqual([
      ['w', 'timespan', true],
      ['n', 'long', false],
    ]);
    const q = ast.statements[1]!;
    const join = q.kind === 'query' ? q.body.ops[0] : null;
    expect(join?.op === 'join' && [join.kind, join.on]).toEqual(['leftouter', [{ left: 'a', right: 'b' }]]);
  });
  it('reports syntax errors with line and column', () => {
    expect(syntaxError('T\n| where (x > 1')).toMatchObject({ code: 'KQL_SYNTAX', line: 2, column: 15 });
    expect(syntaxError('T | summarize count() by')).toMatchObject({ code: 'KQL_SYNTAX' });
    expect(syntaxError('let f = (x:long) { x }; f(1)')).toMatchObject({
      code: 'KQL_UNSUPPORTED_SYNTAX',
      line: 1,
      column: 9,
    });
    expect(syntaxError('T | invoke foo()')).toMatchObject({ code: 'KQL_UNSUPPORTED_OPERATOR', column: 5 });
  });
});
