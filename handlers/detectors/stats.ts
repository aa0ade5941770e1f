/*
 * The statistics the detectors decide with: how sure a difference between a recent window and its
 * baseline is, so that noise does not page. Pure functions of counts.
 */

/** A share of observations: `hits` out of `n`. */
export interface Proportion {
  hits: number;
  n: number;
}

/** The standard normal's upper tail P(Z > z) (Abramowitz–Stegun 7.1.26, error below 1.5e-7). */
export function normalTail(z: number): number {
  if (z < 0) return 1 - normalTail(-z);
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return (poly * Math.exp(-x * x)) / 2;
}

/** The result of a one-sided test that `recent` is higher than `baseline`. */
export interface RateTest {
  baselineRate: number;
  recentRate: number;
  /** The pooled two-proportion z statistic; positive when the recent rate is higher. */
  z: number;
  /** One-sided p-value of "higher": how likely a difference this large is by chance alone. */
  p: number;
}

/**
 * Two-proportion z-test (pooled variance), one-sided: is the recent share higher than the
 * baseline's? Undefined when either side has no observations or both shares are 0 or 1.
 */
export function twoProportionTest(baseline: Proportion, recent: Proportion): RateTest | undefined {
  if (baseline.n <= 0 || recent.n <= 0) return undefined;
  const p1 = baseline.hits / baseline.n;
  const p2 = recent.hits / recent.n;
  const pooled = (baseline.hits + recent.hits) / (baseline.n + recent.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / baseline.n + 1 / recent.n));
  if (!(se > 0)) return undefined;
  const z = (p2 - p1) / se;
  return { baselineRate: p1, recentRate: p2, z, p: normalTail(z) };
}

/** Counts per bucket of a distribution, the same buckets on both sides, in ascending bucket order. */
export type Histogram = readonly number[];

const sum = (xs: Histogram) => xs.reduce((a, b) => a + b, 0);

/** The result of comparing two distributions. */
export interface DistributionTest {
  /** Kolmogorov–Smirnov statistic over the buckets: the largest gap between the two CDFs. */
  ks: number;
  /** Asymptotic two-sample KS p-value for that gap (conservative on bucketed data). */
  p: number;
  /** Population-stability index: 0.1 a small shift, 0.2 and above a material one. */
  psi: number;
  /** Shift of the median bucket (recent − baseline), in buckets: the direction of the change. */
  medianShift: number;
}

/** Kolmogorov's limiting distribution: P(K > x). */
function kolmogorovTail(x: number): number {
  if (x <= 0) return 1;
  let total = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * x * x);
    total += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, total));
}

function medianBucket(h: Histogram): number {
  const half = sum(h) / 2;
  let acc = 0;
  for (let i = 0; i < h.length; i++) {
    acc += h[i]!;
    if (acc >= half) return i;
  }
  return h.length - 1;
}

/**
 * KS and PSI between a baseline and a recent histogram over the same buckets. PSI smooths empty
 * buckets with half an observation so one empty bucket does not make it infinite. Undefined when
 * a side is empty or the bucket counts differ.
 */
export function compareDistributions(baseline: Histogram, recent: Histogram): DistributionTest | undefined {
  const n = sum(baseline);
  const m = sum(recent);
  if (n <= 0 || m <= 0 || baseline.length !== recent.length) return undefined;
  let cdfA = 0;
  let cdfB = 0;
  let ks = 0;
  let psi = 0;
  for (let i = 0; i < baseline.length; i++) {
    cdfA += baseline[i]! / n;
    cdfB += recent[i]! / m;
    ks = Math.max(ks, Math.abs(cdfA - cdfB));
    const a = (baseline[i]! + 0.5) / (n + 0.5 * baseline.length);
    const b = (recent[i]! + 0.5) / (m + 0.5 * recent.length);
    psi += (b - a) * Math.log(b / a);
  }
  const effective = Math.sqrt((n * m) / (n + m));
  const p = kolmogorovTail((effective + 0.12 + 0.11 / effective) * ks);
  return { ks, p, psi, medianShift: medianBucket(recent) - medianBucket(baseline) };
}

/**
 * P(X ≥ k) for a Poisson count with mean `lambda`: exact where the z-test's normal approximation
 * is poor (a handful of rare events, like jailbreak flags). Summed in log space term by term.
 */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (!(lambda > 0)) return 0;
  let term = Math.exp(-lambda);
  let below = term;
  for (let i = 1; i < k; i++) {
    term *= lambda / i;
    below += term;
  }
  return Math.max(0, 1 - below);
}
