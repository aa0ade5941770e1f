import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BindError,
  bindParameters,
  renderDynamicBag,
  renderKqlString,
} from '../../../queries/bind-parameters.ts';
import type { QueryAst } from '../../../queries/engine/ast.ts';
import { parseQuery } from '../../../queries/engine/parse-query.ts';
import { kustoDiagnostics } from './kusto-language.ts';

/** A small query of the catalog's shape (the catalog's own files grow; the binder's cases do not). */
const QUERY = readFileSync(
  fileURLToPath(new URL('../../fixtures/kql/bind-sample.kql', import.meta.url)),
  'utf8',
);
const DECL = QUERY.slice(0, QUERY.indexOf(';') + 1);
const BODY = QUERY.slice(QUERY.indexOf(';') + 1);

/** The shape of a parsed query: statement kinds and the operator sequence, values left out. */
function structure(ast: QueryAst): string[] {
  return ast.statements.map((s) =>
    s.kind === 'query' ? `query:${s.body.source.kind}:${s.body.ops.map((o) => o.op).join(',')}` : `${s.kind}`,
  );
}

function letValue(ast: QueryAst, name: string): unknown {
  const st = ast.statements.find((s) => s.kind === 'let' && s.name === name);
  if (st?.kind !== 'let' || !('scalar' in st.value) || st.value.scalar.kind !== 'literal') return undefined;
  return st.value.scalar.value;
}

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      "'",
      '\\',
      '|',
      '\n',
      '\r',
      ';',
      '/',
      '`',
      '@',
      'h',
      '\u2028',
      '\u0000',
      ')',
      '$',
    ),
    maxLength: 40,
  }),
  fc.constantFrom('"; AppRequests | take 1 //', '\\"\'|\n;//', '```', 'x\\', '\ud800', '🙂\u0301'),
  fc.string({ minLength: 5000, maxLength: 20000 }),
);

describe('bindParameters', () => {
  it('replaces the declare statement and leaves the body byte for byte', () => {
    const bound = bindParameters(QUERY, { deployment: 'gpt-4o', window: '7d', bucket: 300_000 });
    expect(bound.endsWith(BODY)).toBe(true);
    expect(bound.slice(0, bound.length - BODY.length)).toBe(
      'let window = 604800000ms; let bucket = 300000ms; let deployment = "gpt-4o";',
    );
  });

  it('keeps declared defaults as written', () => {
    expect(bindParameters(QUERY, {})).toBe(
      `let window = 24h; let bucket = 15m; let deployment = "*";${BODY}`,
    );
  });

  it('renders each type as a literal', () => {
    const q = 'declare query_parameters(a:long, b:real, c:bool, d:datetime, e:int, f:timespan);\nprint a';
    const bound = bindParameters(q, { a: 42, b: 1.5, c: true, d: '2026-01-01T10:00:00Z', e: -7, f: 1.5 });
    expect(bound).toBe(
      'let a = long(42); let b = real(1.5); let c = true; let d = datetime(2026-01-01T10:00:00Z); let e = int(-7); let f = 15000tick;\nprint a',
    );
    expect(kustoDiagnostics(bound)).toEqual([]);
  });

  it('rejects wrong types, unknown and missing parameters with codes', () => {
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof BindError ? e.code : 'other';
      }
      return undefined;
    };
    expect(codeOf(() => bindParameters(QUERY, { deployment: 5 }))).toBe('BIND_INVALID_VALUE');
    expect(codeOf(() => bindParameters(QUERY, { window: '1 hour; drop' }))).toBe('BIND_INVALID_VALUE');
    expect(codeOf(() => bindParameters(QUERY, { nope: 'x' }))).toBe('BIND_UNKNOWN_PARAMETER');
    expect(codeOf(() => bindParameters('declare query_parameters(x:long);\nprint x', {}))).toBe(
      'BIND_MISSING_PARAMETER',
    );
    expect(codeOf(() => bindParameters('AppRequests | take 1', {}))).toBe('BIND_NO_DECLARE');
    expect(
      codeOf(() => bindParameters('declare query_parameters(x:long = 1);\nprint x', { x: 2 ** 60 })),
    ).toBe('BIND_INVALID_VALUE');
  });

  it('escapes strings so KQL reads back the same value', () => {
    expect(renderKqlString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(renderKqlString('\u0001\u2028')).toBe('"\\u0001\\u2028"');
  });

  it('property: hostile strings keep the query structure in both parsers and round-trip exactly', () => {
    const reference = structure(parseQuery(bindParameters(QUERY, {})));
    expect(reference).toEqual(['let', 'let', 'let', 'query:table:where,where,summarize,extend,sort']);
    fc.assert(
      fc.property(hostile, (value) => {
        const bound = bindParameters(QUERY, { deployment: value });
        expect(bound.endsWith(BODY)).toBe(true);
        const ast = parseQuery(bound);
        expect(structure(ast)).toEqual(reference);
        expect(letValue(ast, 'deployment')).toBe(value);
        expect(kustoDiagnostics(bound)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('property: numbers and durations bind to literals that parse to the same value', () => {
    const q = `${DECL.replace('deployment:string = "*"', 'deployment:string = "*", limit:long = 10, ratio:real = 2.0')}${BODY}`;
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 10 ** 12 }),
        (limit, ratio, windowMs) => {
          const bound = bindParameters(q, { limit, ratio, window: windowMs });
          const ast = parseQuery(bound);
          expect(structure(ast)).toEqual([
            'let',
            'let',
            'let',
            'let',
            'let',
            'query:table:where,where,summarize,extend,sort',
          ]);
          expect(kustoDiagnostics(bound)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: a dynamic bag of numbers binds to a literal that reads back equal, or is refused', () => {
    const q = `${DECL.replace('deployment:string = "*"', 'deployment:string = "*", prices:dynamic = dynamic({})')}${BODY}`;
    const reference = ['let', 'let', 'let', 'let', 'query:table:where,where,summarize,extend,sort'];
    const key = fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/), hostile);
    const number = fc.oneof(fc.double(), fc.integer());
    const bag = fc.dictionary(key, fc.oneof(number, fc.dictionary(key, number, { maxKeys: 4 })), {
      maxKeys: 6,
    });
    const junk = fc.oneof(fc.string(), fc.array(fc.integer()), fc.constant(null), fc.date(), fc.boolean());
    fc.assert(
      fc.property(fc.oneof(bag, junk), (value) => {
        const literal = renderDynamicBag(value);
        let bound: string;
        try {
          bound = bindParameters(q, { prices: value as never });
        } catch (e) {
          expect(e).toBeInstanceOf(BindError);
          expect((e as BindError).code).toBe('BIND_INVALID_VALUE');
          expect(typeof literal).not.toBe('string');
          return;
        }
        expect(typeof literal).toBe('string');
        // Only name characters, digits and JSON punctuation: nothing that could end the literal early.
        expect(literal as string).toMatch(/^dynamic\(\{[A-Za-z0-9._\-+":,{}]*\}\)$/);
        expect(bound.endsWith(BODY)).toBe(true);
        const ast = parseQuery(bound);
        expect(structure(ast)).toEqual(reference);
        expect(letValue(ast, 'prices')).toEqual(JSON.parse(JSON.stringify(value)));
        expect(kustoDiagnostics(bound)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses dynamic values that are not plain bags of finite numbers', () => {
    const q = 'declare query_parameters(p:dynamic = dynamic({}));\nprint p';
    for (const bad of [
      { a: Number.NaN },
      { a: Number.POSITIVE_INFINITY },
      { 'a"b': 1 },
      { 'a)|take 1': 1 },
      { a: { b: { c: 1 } } },
      { a: 'text' },
      [1, 2],
      'dynamic({})',
      Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, i])),
    ]) {
      expect(() => bindParameters(q, { p: bad as never }), JSON.stringify(bad)).toThrow(BindError);
    }
    expect(bindParameters(q, { p: { 'gpt-4o': { inputPer1k: 0.0025, outputPer1k: 1e-7 } } })).toBe(
      'let p = dynamic({"gpt-4o":{"inputPer1k":0.0025,"outputPer1k":1e-7}});\nprint p',
    );
  });
});
