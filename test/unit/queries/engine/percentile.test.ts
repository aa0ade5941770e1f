import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupPercentiles, nearestRank, selectKth } from '../../../../queries/engine/percentile.ts';
import { histogramPercentiles } from '../../../../queries/engine/percentile-histogram.ts';

describe('percentile internals', () => {
  it('nearestRank is ceil(p/100 × n) − 1, clamped', () => {
    expect([0, 1, 50, 90, 95, 100].map((p) => nearestRank(p, 10))).toEqual([0, 0, 4, 8, 9, 9]);
    expect(nearestRank(50, 1)).toBe(0);
  });
  it('property: selectKth agrees with a full sort', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (xs, k0) => {
          const a = Float64Array.from(xs);
          const k = k0 % xs.length;
          selectKth(a, 0, a.length - 1, k);
          expect(a[k]).toBe(Float64Array.from(xs).sort()[k]);
        },
      ),
    );
  });
  it('property: the histogram path equals sorting each group (negatives, ties, nulls)', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -3, max: 3 }),
    );
    const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), value, fc.boolean()), { maxLength: 400 });
    fc.assert(
      fc.property(
        arb,
        fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }),
        (rows, ps) => {
          const values = Float64Array.from(rows.map((r) => r[1]));
          const nulls = Uint8Array.from(rows.map((r) => (r[2] ? 1 : 0)));
          const gids = Int32Array.from(rows.map((r) => r[0]));
          const out = histogramPercentiles(values, nulls, gids, 4, ps);
          for (let g = 0; g < 4; g++) {
            const sorted = Float64Array.from(rows.filter((r) => r[0] === g && !r[2]).map((r) => r[1])).sort();
            ps.forEach((p, i) => {
              const want = sorted.length === 0 ? Number.NaN : sorted[nearestRank(p, sorted.length)]!;
              expect(Object.is(out[i]![g], want) || out[i]![g] === want).toBe(true);
            });
          }
        },
      ),
    );
  });

  it('property: grouped percentiles equal sorting each group', () => {
    const arb = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: -50, max: 50 }), fc.boolean()),
      {
        maxLength: 300,
      },
    );
    fc.assert(
      fc.property(
        arb,
        fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 5 }),
        (rows, ps) => {
          const values = Float64Array.from(rows.map((r) => r[1]));
          const nulls = Uint8Array.from(rows.map((r) => (r[2] ? 1 : 0)));
          const gids = Int32Array.from(rows.map((r) => r[0]));
          const out = groupPercentiles(values, nulls, gids, 5, ps);
          for (let g = 0; g < 5; g++) {
            const sorted = rows
              .filter((r) => r[0] === g && !r[2])
              .map((r) => r[1])
              .sort((a, b) => a - b);
            ps.forEach((p, i) => {
              const want = sorted.length === 0 ? Number.NaN : sorted[nearestRank(p, sorted.length)]!;
              expect(out[i]![g]).toBe(want);
            });
          }
        },
      ),
    );
  });
});
