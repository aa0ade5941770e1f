import { describe, expect, it } from 'vitest';
import {
  compareDistributions,
  normalTail,
  poissonUpperTail,
  twoProportionTest,
} from '../../../../handlers/detectors/stats.ts';

describe('detector statistics', () => {
  it('normal tail matches the table', () => {
    expect(normalTail(0)).toBeCloseTo(0.5, 6);
    expect(normalTail(1.96)).toBeCloseTo(0.025, 4);
    expect(normalTail(3.5)).toBeCloseTo(0.000233, 5);
    expect(normalTail(-1.96)).toBeCloseTo(0.975, 4);
  });

  it('two-proportion test: a clear rise is sure, the same share is not', () => {
    const rise = twoProportionTest({ hits: 500, n: 10_000 }, { hits: 120, n: 1_000 })!;
    expect(rise.baselineRate).toBe(0.05);
    expect(rise.recentRate).toBe(0.12);
    expect(rise.z).toBeGreaterThan(8);
    expect(rise.p).toBeLessThan(1e-10);
    const same = twoProportionTest({ hits: 500, n: 10_000 }, { hits: 50, n: 1_000 })!;
    expect(same.z).toBeCloseTo(0, 6);
    expect(same.p).toBeCloseTo(0.5, 6);
    // A fall is not a rise: one-sided.
    expect(twoProportionTest({ hits: 500, n: 10_000 }, { hits: 10, n: 1_000 })!.z).toBeLessThan(0);
    expect(twoProportionTest({ hits: 0, n: 0 }, { hits: 1, n: 10 })).toBeUndefined();
    expect(twoProportionTest({ hits: 0, n: 10 }, { hits: 0, n: 10 })).toBeUndefined();
  });

  it('KS and PSI: the same shape is stable, a shifted one is not', () => {
    const base = [10, 50, 200, 400, 200, 50, 10];
    const same = compareDistributions(
      base,
      base.map((x) => x * 3),
    )!;
    expect(same.ks).toBeCloseTo(0, 9);
    expect(same.psi).toBeLessThan(0.001); // only the smoothing of empty-bucket guards
    expect(same.p).toBe(1);
    const shifted = compareDistributions(base, [50, 200, 400, 200, 50, 10, 10])!;
    expect(shifted.ks).toBeGreaterThan(0.2);
    expect(shifted.psi).toBeGreaterThan(0.2);
    expect(shifted.p).toBeLessThan(1e-6);
    expect(shifted.medianShift).toBe(-1);
    expect(compareDistributions([], [])).toBeUndefined();
  });

  it('Poisson tail: exact for a handful of rare events', () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(poissonUpperTail(5, 0.67)).toBeCloseTo(0.000647, 6);
    expect(poissonUpperTail(3, 0)).toBe(0);
  });
});
