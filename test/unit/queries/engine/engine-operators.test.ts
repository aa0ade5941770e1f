import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KqlEngine } from '../../../../queries/engine/engine.ts';
import { kustoDiagnostics } from '../kusto-language.ts';
import { NOW, rows } from './fixture.ts';

describe('range filters (one-pass path) agree with the general evaluator', () => {
  it.each([
    ['v > 2', 'v > 2'],
    ['2 < v', 'v > 2'],
    ['v <= 5', 'v <= 5'],
    ['v between (2 .. 6)', 'v >= 2 and v <= 6'],
    ['v !between (2 .. 6)', 'v < 2 or v > 6'],
    ['ts > ago(1d)', 'ts > datetime(2026-01-01T12:00:00Z)'],
    [
      'ts between (ago(1d) .. 23h)',
      'ts >= datetime(2026-01-01T12:00:00Z) and ts <= datetime(2026-01-02T11:00:00Z)',
    ],
  ])('where %s', (fast, general) => {
    // `== true` hides the predicate's shape from the range path, forcing the general evaluator.
    const slow = `(${general}) == true`;
    expect(rows(`T | where ${fast} | project k, v, ts`)).toEqual(
      rows(`T | where ${slow} | project k, v, ts`),
    );
    expect(rows(`T | where k != "b" | where ${fast} | project k, v`)).toEqual(
      rows(`T | where k != "b" | where ${slow} | project k, v`),
    );
  });
});

describe('grouping reads keys through selection vectors', () => {
  it('gives the same groups after filters and sorts (permuted selections)', () => {
    const plain = rows('T | summarize c = count(), s = sum(v) by k, d = bin(ts, 1d) | order by k asc, d asc');
    expect(plain).toEqual([
      ['', null, 1, 10],
      ['a', '2026-01-02T00:00:00Z', 2, 1],
      ['b', '2026-01-01T00:00:00Z', 1, 5],
    ]);
    const permuted = rows(
      'T | where r > 0 or isnull(r) | order by v desc | summarize c = count(), s = sum(v) by k, d = bin(ts, 1d) | order by k asc, d asc',
    );
    expect(permuted).toEqual(plain);
  });
});

describe('top', () => {
  it('property: top N equals the first N rows of order by (stable ties, nulls placement)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 70 }),
        fc.constantFrom('asc', 'desc', 'asc nulls last', 'desc nulls first'),
        (xs, n, dir) => {
          const e = new KqlEngine({ now: () => NOW });
          e.loadRows(
            {
              name: 'X',
              columns: [
                { name: 'x', type: 'long' },
                { name: 'i', type: 'long' },
              ],
            },
            xs.map((x, i) => ({ x, i })),
          );
          expect(e.run(`X | top ${n} by x ${dir}`).rows).toEqual(
            e.run(`X | order by x ${dir} | take ${n}`).rows,
          );
        },
      ),
    );
  });
});

describe('range filter boundaries', () => {
  it('property: open and closed bounds agree with the general evaluator on exact values', () => {
    const num = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, -0, 1.5, -2, 5e-324),
    );
    fc.assert(
      fc.property(
        fc.array(num, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('>', '>=', '<', '<='),
        fc.boolean(),
        (raw, a, b, op, sorted) => {
          // Sorted input takes the binary-search path, unsorted the scanning one.
          const xs = sorted ? Array.from(Float64Array.from(raw).sort()) : raw;
          const e = new KqlEngine({ now: () => NOW });
          e.addTable('R', [
            { name: 'x', col: { kind: 'num', type: 'real', values: Float64Array.from(xs), nulls: null } },
          ]);
          e.addTable('B', [
            {
              name: 'y',
              col: {
                kind: 'num',
                type: 'real',
                values: Float64Array.of(xs[a % xs.length]!, xs[b % xs.length]!),
                nulls: null,
              },
            },
          ]);
          const lo = `toscalar(B | take 1)`;
          const q = (pred: string): unknown[][] => e.run(`let lo = ${lo}; R | where ${pred} | count`).rows;
          expect(q(`x ${op} lo`)).toEqual(q(`(x ${op} lo) == true`));
          expect(q('x between (lo .. lo)')).toEqual(q('(x >= lo and x <= lo) == true'));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('arg_max / arg_min', () => {
  it('return the row that maximises (minimises) the expression per group', () => {
    expect(rows('T | summarize arg_max(v, r, b) by k | order by k asc')).toEqual([
      ['', 10, 4, true],
      ['a', 1, 1.5, true],
      ['b', 5, 2.5, false],
    ]);
    expect(
      rows('T | where isnotnull(ts) | summarize arg_min(ts, *) by k | project k, ts, v | order by k asc'),
    ).toEqual([
      ['a', '2026-01-02T10:00:00Z', null],
      ['b', '2026-01-01T12:00:00Z', 5],
    ]);
  });
  it('has zero diagnostics in Microsoft’s parser for the freshness pattern', () => {
    expect(kustoDiagnostics('AppTraces | summarize arg_max(TimeGenerated, *) by AppRoleName')).toEqual([]);
  });
});

describe('datetime functions', () => {
  it('hourofday, dayofweek, startofweek, startofmonth, datetime_diff (UTC)', () => {
    // 2026-01-02 is a Friday.
    expect(
      rows(
        'print h = hourofday(datetime(2026-01-02 13:45)), d = dayofweek(datetime(2026-01-02)), w = startofweek(datetime(2026-01-02 13:45)), m = startofmonth(datetime(2026-01-20)), dd = datetime_diff("day", datetime(2026-01-03 00:10), datetime(2026-01-02 23:50)), dh = datetime_diff("hour", datetime(2026-01-02 10:00), datetime(2026-01-02 07:30))',
      ),
    ).toEqual([[13, '5.00:00:00', '2025-12-28T00:00:00Z', '2026-01-01T00:00:00Z', 1, 3]]);
    expect(
      kustoDiagnostics('print datetime_diff("day", now(), ago(1d)), startofweek(now()), hourofday(now())'),
    ).toEqual([]);
  });
});

describe('range filter column bounds', () => {
  it('never assumes "all rows match" when NaN or null is present', () => {
    const e = new KqlEngine({ now: () => NOW });
    e.addTable('N', [
      {
        name: 'x',
        col: { kind: 'num', type: 'real', values: Float64Array.of(1, Number.NaN, 3), nulls: null },
      },
      {
        name: 'y',
        col: { kind: 'num', type: 'real', values: Float64Array.of(1, 2, 3), nulls: Uint8Array.of(0, 1, 0) },
      },
    ]);
    expect(e.run('N | where x >= 0 | count').rows).toEqual([[2]]);
    expect(e.run('N | where y >= 0 | count').rows).toEqual([[2]]);
    expect(e.run('N | where y > 5 | count').rows).toEqual([[0]]);
    expect(e.run('N | where y between (0 .. 10) | count').rows).toEqual([[2]]);
  });
});

describe('has_any', () => {
  it('matches whole terms, case-insensitively, like has', () => {
    expect(
      rows(
        'print a = "Prompt injection detected" has_any ("INJECTION", "jailbreak"), b = "reinjection" has_any ("injection"), c = "x" has_any (dynamic(["y", "X"]))',
      ),
    ).toEqual([[true, false, true]]);
    expect(
      rows(
        'print a = "gpt-4o-mini" hasprefix "4O", b = "gpt-4o-mini" hasprefix "o", c = "gpt-4o-mini" hassuffix "4O", d = "gpt-4o-mini" hassuffix "min"',
      ),
    ).toEqual([[true, false, true, false]]);
  });
});
