import { z } from 'zod';
import type { AlertDetail } from '../../core/alerts/alert.ts';
import { formatDuration } from '../../core/duration.ts';
import { timespan } from '../../queries/params.ts';
import { defineDetector, type Finding } from './detector.ts';
import { num, pct, pValue, rowsOf, str } from './result-rows.ts';
import { compareDistributions, type Proportion, twoProportionTest } from './stats.ts';

const params = z.object({
  /** How far back versions and baselines are read. */
  window: timespan({ min: '1d', max: '31d', default: '7d' }),
  /** The current version's recent window, compared with the baseline. */
  recent: timespan({ min: '1h', max: '3d', default: '6h' }),
  /** Answers each side needs before a rate is tested; fewer and the run says nothing. */
  minSample: z.number().int().min(30).default(300),
  /** Rated answers each side needs before negative feedback is tested. */
  minRated: z.number().int().min(10).default(100),
  /**
   * The z statistic a rate's rise must reach (one-sided; 4 is p ≈ 0.00003): strict, because three
   * rates and a distribution are tested per deployment on every run (a family-wise bound).
   */
  z: z.number().min(2).max(10).default(4),
  /** A rise must also be this large relative to the baseline (0.25: a quarter more) … */
  minRelativeRise: z.number().min(0).max(10).default(0.25),
  /** … and this many percentage points. */
  minPointsRise: z.number().min(0).max(100).default(0.5),
  /** Answer length: the KS p-value must be below this … */
  ksAlpha: z.number().min(1e-9).max(0.1).default(0.0001),
  /** … and the population-stability index at least this (0.2: a material shift). */
  psi: z.number().min(0.01).max(5).default(0.2),
});

/** The rate signals the detector tests, and how each reads from a model-quality row. */
const RATES = [
  { key: 'refused', label: 'Refused or filtered answers', hits: 'Refused', n: 'Answers' },
  {
    key: 'ungrounded',
    label: 'Ungrounded answers (evaluator score < 3)',
    hits: 'Ungrounded',
    n: 'Evaluated',
  },
  { key: 'negative', label: 'Negative feedback (of rated answers)', hits: 'Negative', n: 'Rated' },
] as const;

type Row = Record<string, unknown>;

interface Version {
  name: string;
  firstSeen: number;
  rows: Row[];
}

function versionsOf(rows: readonly Row[]): Map<string, Map<string, Version>> {
  const byDeployment = new Map<string, Map<string, Version>>();
  for (const r of rows) {
    const dep = str(r.Deployment);
    const name = str(r.ModelVersion);
    const versions = byDeployment.get(dep) ?? new Map<string, Version>();
    byDeployment.set(dep, versions);
    const v = versions.get(name) ?? { name, firstSeen: Number.POSITIVE_INFINITY, rows: [] };
    v.firstSeen = Math.min(v.firstSeen, Date.parse(str(r.FirstSeen)));
    v.rows.push(r);
    versions.set(name, v);
  }
  return byDeployment;
}

const total = (rows: readonly Row[], column: string) => rows.reduce((a, r) => a + num(r[column]), 0);

/** The two sides of the comparison: the current version's recent rows, and what they are held against. */
interface Sides {
  current: Version;
  recent: Row[];
  baseline: Row[];
  baselineVersion: string;
  baselineLabel: string;
}

/** The current version (the newest with recent answers) and its baseline: the version before, else its own earlier days. */
function sidesOf(versions: Map<string, Version>, minSample: number, recentText: string): Sides | undefined {
  const ordered = [...versions.values()].sort((a, b) => a.firstSeen - b.firstSeen);
  const current = [...ordered].reverse().find((v) => v.rows.some((r) => r.Period === 'recent'));
  if (!current) return undefined;
  const recent = current.rows.filter((r) => r.Period === 'recent');
  const previous = ordered.filter((v) => v !== current && v.firstSeen < current.firstSeen).at(-1);
  if (previous && total(previous.rows, 'Answers') >= minSample)
    return {
      current,
      recent,
      baseline: previous.rows,
      baselineVersion: previous.name,
      baselineLabel: previous.name,
    };
  const earlier = current.rows.filter((r) => r.Period === 'earlier');
  if (total(earlier, 'Answers') >= minSample)
    return {
      current,
      recent,
      baseline: earlier,
      baselineVersion: current.name,
      baselineLabel: `${current.name} before the last ${recentText}`,
    };
  return undefined;
}

/** Histogram rows of one deployment's version and periods, over the buckets both sides use. */
function histograms(
  rows: readonly Row[],
  dep: string,
  base: { version: string; periods: string[] },
  current: string,
) {
  const a = new Map<number, number>();
  const b = new Map<number, number>();
  for (const r of rows) {
    if (str(r.Deployment) !== dep) continue;
    const bucket = num(r.Bucket);
    const version = str(r.ModelVersion);
    const period = str(r.Period);
    if (version === current && period === 'recent') b.set(bucket, (b.get(bucket) ?? 0) + num(r.Answers));
    else if (version === base.version && base.periods.includes(period))
      a.set(bucket, (a.get(bucket) ?? 0) + num(r.Answers));
  }
  const buckets = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
  return { baseline: buckets.map((k) => a.get(k) ?? 0), recent: buckets.map((k) => b.get(k) ?? 0) };
}

/**
 * Model quality drift per deployment and model version: the current version's recent answers
 * against the version before it (or its own earlier days), each rate with a one-sided
 * two-proportion z-test, answer length with KS and PSI; a minimum sample on each side, so a
 * noisy but unchanged model does not page.
 */
export const modelDrift = defineDetector({
  id: 'model-drift',
  title: 'Model regression',
  description:
    'Answer quality of each deployment’s current model version (refusals and content-filter stops, ungrounded answers, negative feedback, answer length) against the version before it.',
  queries: ['model-quality', 'response-length'],
  params,
  condition:
    'A quality rate of the current version’s recent window is higher than its baseline’s with z ≥ 4, by a quarter and half a point at least, or its answer-length distribution moved (KS p < 0.0001 and PSI ≥ 0.2); each side with 300 answers or more.',
  kind: 'model-regression',
  tier: 'P2',
  everyMs: 15 * 60_000,
  evidence: 'model-quality and model-version-comparison per version; rollback-deployment proposed',
  action: 'rollback-deployment',
  async evaluate(p, ctx) {
    const quality = await ctx.query('model-quality', { window: p.window, recent: p.recent });
    const lengths = await ctx.query('response-length', { window: p.window, recent: p.recent });
    const lengthRows = rowsOf(lengths);
    const findings: Finding[] = [];
    for (const [dep, versions] of versionsOf(rowsOf(quality))) {
      const sides = sidesOf(versions, p.minSample, formatDuration(p.recent));
      if (!sides || total(sides.recent, 'Answers') < p.minSample) continue;
      const details: AlertDetail[] = [];
      const values: Record<string, number> = {};
      const worse: string[] = [];
      for (const rate of RATES) {
        const base: Proportion = { hits: total(sides.baseline, rate.hits), n: total(sides.baseline, rate.n) };
        const now: Proportion = { hits: total(sides.recent, rate.hits), n: total(sides.recent, rate.n) };
        const min = rate.key === 'negative' ? p.minRated : p.minSample;
        if (base.n < min || now.n < min) continue;
        const t = twoProportionTest(base, now);
        if (!t) continue;
        const rise = t.recentRate - t.baselineRate;
        const regressed =
          t.z >= p.z && rise * 100 >= p.minPointsRise && rise >= p.minRelativeRise * t.baselineRate;
        values[`${rate.key}_z`] = Math.round(t.z * 100) / 100;
        values[`${rate.key}_pct`] = Math.round(t.recentRate * 10_000) / 100;
        details.push({
          label: rate.label.slice(0, 64),
          value: `${pct(t.baselineRate)} → ${pct(t.recentRate)} (z ${t.z.toFixed(1)}, ${pValue(t.p)}; ${now.n} vs ${base.n})${regressed ? ' worse' : ''}`,
        });
        if (regressed) worse.push(rate.label.split(' (')[0]!.toLowerCase());
      }
      const periods = sides.baselineVersion === sides.current.name ? ['earlier'] : ['earlier', 'recent'];
      const h = histograms(lengthRows, dep, { version: sides.baselineVersion, periods }, sides.current.name);
      const d = compareDistributions(h.baseline, h.recent);
      if (
        d &&
        h.baseline.reduce((a, b) => a + b, 0) >= p.minSample &&
        h.recent.reduce((a, b) => a + b, 0) >= p.minSample
      ) {
        const moved = d.p < p.ksAlpha && d.psi >= p.psi;
        values.length_ks = Math.round(d.ks * 1000) / 1000;
        values.length_psi = Math.round(d.psi * 1000) / 1000;
        const direction = d.medianShift < 0 ? 'shorter' : d.medianShift > 0 ? 'longer' : 'reshaped';
        details.push({
          label: 'Answer length distribution',
          value: `KS ${d.ks.toFixed(3)} (${pValue(d.p)}), PSI ${d.psi.toFixed(2)}${moved ? `: answers ${direction}` : ''}`,
        });
        if (moved) worse.push(`answers ${direction}`);
      }
      if (worse.length === 0) continue;
      const version = sides.current.name;
      findings.push({
        subject: dep,
        summary: `Model regression: ${dep} ${version} answers worse than ${sides.baselineVersion}`,
        description: `Since ${dep} moved to ${version} (first seen ${new Date(sides.current.firstSeen).toISOString()}): ${worse.join(', ')} in the last ${formatDuration(p.recent)}, against ${sides.baselineLabel}. Latency and errors may look normal; no alert rule watches this.`,
        resource: { deployment: dep, model: dep, modelVersion: version },
        values,
        details: [
          { label: 'Version', value: `${sides.baselineLabel} → ${version}` },
          { label: 'Recent window', value: `last ${formatDuration(p.recent)} of ${version}` },
          ...details,
        ],
        labels: { model_version: version, baseline_version: sides.baselineVersion },
      });
    }
    return { findings, queryText: quality.text };
  },
});
