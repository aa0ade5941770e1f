import { describe, expect, it } from 'vitest';
import { KqlEngine, KqlError } from '../../../../queries/engine/engine.ts';
import { engine, NOW, rows } from './fixture.ts';

function errorOf(q: string): KqlError {
  try {
    engine().run(q);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error('expected a KqlError');
}

describe('null semantics', () => {
  it('== and != follow Kusto: null==value false, null!=value true, null==null null', () => {
    expect(rows('T | project a = v == 1, b = v != 1, c = v == long(null), d = v > 3')).toEqual([
      [true, false, false, false],
      [false, true, null, null],
      [false, true, false, true],
      [false, true, false, true],
    ]);
  });
  it('arithmetic with null is null; integer division truncates; long / 0 is null', () => {
    expect(rows('T | project x = v + 1, y = v / 2, z = v / 0, w = r / 0.0 | take 3')).toEqual([
      [2, 0, null, Number.POSITIVE_INFINITY],
      [null, null, null, null],
      [6, 2, null, Number.POSITIVE_INFINITY],
    ]);
  });
  it('three-valued and/or; where drops null', () => {
    expect(rows('T | project a = b and true, o = b or true, f = b and false')).toEqual([
      [true, true, false],
      [null, true, false],
      [false, true, false],
      [true, true, false],
    ]);
    expect(rows('T | where v > 2 | count')).toEqual([[2]]);
  });
  it('aggregates skip nulls; count() counts rows; empty groups give null avg and 0 sum', () => {
    expect(
      rows(
        'T | summarize c = count(), s = sum(v), a = avg(v), mn = min(r), mx = max(r), d = dcount(v) by k | order by k asc',
      ),
    ).toEqual([
      ['', 1, 10, 10, 4, 4, 1],
      ['a', 2, 1, 1, 1.5, 1.5, 1],
      ['b', 1, 5, 5, 2.5, 2.5, 1],
    ]);
    expect(
      rows('T | where k == "a" and isnull(v) | summarize s = sum(v), a = avg(v), p = percentile(v, 50)'),
    ).toEqual([[0, null, null]]);
  });
  it('strings are never null: isempty covers "", isnull is false; missing dynamic keys are null', () => {
    expect(
      rows('T | project e = isempty(k), n = isnull(k), m = isnull(P["dep"]), s = tostring(P.dep)'),
    ).toEqual([
      [false, false, false, 'gpt-4o'],
      [false, false, false, 'gpt-4o'],
      [false, false, true, ''],
      [true, false, true, ''],
    ]);
  });
  it('sort puts nulls first ascending and last descending by default', () => {
    expect(rows('T | order by v asc | project v')).toEqual([[null], [1], [5], [10]]);
    expect(rows('T | order by v desc | project v')).toEqual([[10], [5], [1], [null]]);
    expect(rows('T | order by v asc nulls last | project v')).toEqual([[1], [5], [10], [null]]);
  });
});

describe('percentiles (nearest rank)', () => {
  it('matches hand-computed ranks ceil(p/100 × n)', () => {
    const e = new KqlEngine({ now: () => NOW });
    // 1..10 shuffled: P10 → rank 1 → 1; P25 → rank 3 → 3; P50 → rank 5 → 5; P90 → 9; P95/P100 → 10; P0 → 1.
    const values = [7, 3, 10, 1, 9, 2, 8, 5, 4, 6];
    e.addTable('N', [
      { name: 'x', col: { kind: 'num', type: 'real', values: Float64Array.from(values), nulls: null } },
    ]);
    expect(e.run('N | summarize percentiles(x, 0, 10, 25, 50, 90, 95, 100)').rows).toEqual([
      [1, 1, 3, 5, 9, 10, 10],
    ]);
    expect(e.run('N | summarize p = percentile(x, 51)').rows).toEqual([[6]]);
  });
});

describe('operators and functions', () => {
  it('let scalars and tabulars, extend, project-away, top, take, distinct', () => {
    expect(
      rows('let lim = 2; let X = T | where isnotnull(v); X | top lim by v | project-away P, ts, b'),
    ).toEqual([
      ['', 10, 4],
      ['b', 5, 2.5],
    ]);
    expect(rows('T | distinct k | order by k asc')).toEqual([[''], ['a'], ['b']]);
    expect(rows('T | take 1 | project k')).toEqual([['a']]);
  });
  it('datetime and timespan arithmetic, ago, now, bin, between', () => {
    expect(
      rows('T | where ts > ago(1h) | project age = now() - ts, b = bin(ts, 1h), later = ts + 90m'),
    ).toEqual([['00:10:00', '2026-01-02T11:00:00Z', '2026-01-02T13:20:00Z']]);
    expect(rows('T | where ts between (datetime(2026-01-02) .. 12h) | count')).toEqual([[2]]);
    expect(
      rows('print d = datetime(2026-01-02) - datetime(2026-01-01), t = timespan(1.02:00:00) / 1h'),
    ).toEqual([['1.00:00:00', 26]]);
  });
  it('string operators and functions', () => {
    expect(
      rows(
        'print a = "Hello World" has "world", b = "Hello World" has "wor", c = "abc" contains "B", d = "abc" startswith "AB", e = "x" =~ "X", f = strcat("a", 1, "b"), g = toupper("q")',
      ),
    ).toEqual([[true, false, true, true, true, 'a1b', 'Q']]);
    expect(rows('T | where k in ("a", "b") and v !in (5) | project k, v')).toEqual([
      ['a', 1],
      ['a', null],
    ]);
  });
  it('iff, case, conversions', () => {
    expect(
      rows(
        'T | project i = iff(v > 2, "big", "small"), c = case(v == 1, 1, v == 5, 5, -1), s = tostring(v), l = toint("42") | take 3',
      ),
    ).toEqual([
      ['small', 1, '1', 42],
      ['small', -1, '', 42],
      ['big', 5, '5', 42],
    ]);
  });
  it('dynamic access and literals', () => {
    expect(rows('T | project n = P["n"] * 2, d = P.dep | take 3')).toEqual([
      [6, 'gpt-4o'],
      [null, 'gpt-4o'],
      [14, null],
    ]);
    // Dynamic results are JSON text, as the Log Analytics API returns them.
    expect(rows('print x = dynamic({"a": [1, 2]})["a"][1], y = "b" in (dynamic(["a", "b"]))')).toEqual([
      ['2', true],
    ]);
  });
  it('dynamic access with a per-row key into a let-bound bag; missing or inherited keys are null', () => {
    const q =
      'let prices = dynamic({"gpt-4o": {"in": 2.5}, "o3-mini": {"in": 1.1}}); ' +
      'datatable(D:string, K:long) ["gpt-4o", 0, "o3-mini", 1, "nope", 2, "constructor", 3, "toString", 4] ' +
      '| extend In = todouble(prices[D]["in"]), Second = todouble(dynamic([10, 20, 30])[K])';
    expect(rows(q)).toEqual([
      ['gpt-4o', 0, 2.5, 10],
      ['o3-mini', 1, 1.1, 20],
      ['nope', 2, null, 30],
      ['constructor', 3, null, null],
      ['toString', 4, null, null],
    ]);
  });
  it('join inner, leftouter and $left/$right; union fills missing columns', () => {
    const q =
      'T | where isnotnull(v) | project k, v | join kind=inner (datatable(key:string, w:long) ["a", 100, "b", 200]) on $left.k == $right.key | order by v asc';
    expect(rows(q)).toEqual([
      ['a', 1, 'a', 100],
      ['b', 5, 'b', 200],
    ]);
    const lo = 'datatable(k:string)["a", "z"] | join kind=leftouter (T | summarize n = count() by k) on k';
    expect(rows(lo)).toEqual([
      ['a', 'a', 2],
      ['z', null, null],
    ]);
    expect(rows('union (print a = 1), (print b = "x")')).toEqual([
      [1, null],
      [null, 'x'],
    ]);
  });
  it('nested aggregation expressions in summarize and render is ignored', () => {
    expect(rows('T | summarize pct = round(100.0 * countif(v > 2) / count(), 1) | render timechart')).toEqual(
      [[50]],
    );
  });
});

describe('errors name the construct and its position', () => {
  it('unsupported operator', () => {
    const e = errorOf('T\n| mv-expand P');
    expect([e.code, e.line, e.column]).toEqual(['KQL_UNSUPPORTED_OPERATOR', 2, 3]);
    expect(e.message).toContain('mv-expand');
  });
  it('unsupported function', () => {
    const e = errorOf('T | extend x =  series_fir(v)');
    expect([e.code, e.line, e.column]).toEqual(['KQL_UNSUPPORTED_FUNCTION', 1, 17]);
    expect(e.message).toContain('series_fir');
  });
  it('aggregate outside summarize, unknown column, type errors, syntax errors', () => {
    expect(errorOf('T | extend c = count()').code).toBe('KQL_UNSUPPORTED_FUNCTION');
    expect(errorOf('T | where nope > 1')).toMatchObject({ code: 'KQL_UNKNOWN_NAME', line: 1, column: 11 });
    expect(errorOf('T | where k > 1').code).toBe('KQL_TYPE');
    expect(errorOf('T | where (v > 1').code).toBe('KQL_SYNTAX');
    expect(errorOf('T | join kind=fullouter (T) on k').code).toBe('KQL_UNSUPPORTED_OPERATOR');
    expect(errorOf('T | where k matches regex "a"').code).toBe('KQL_UNSUPPORTED_OPERATOR');
  });
});
