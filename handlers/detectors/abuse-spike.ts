import { z } from 'zod';
import { formatDuration } from '../../core/duration.ts';
import { timespan } from '../../queries/params.ts';
import { defineDetector, type Finding } from './detector.ts';
import { num, pct, pValue, rowsOf, str } from './result-rows.ts';
import { poissonUpperTail, twoProportionTest } from './stats.ts';

const params = z.object({
  window: timespan({ min: '1d', max: '31d', default: '7d' }),
  recent: timespan({ min: '5m', max: '1d', default: '1h' }),
  /** Flagged requests the recent window needs: a handful is background noise. */
  minFlagged: z.number().int().min(1).default(5),
  /** The recent share must be this many times the baseline's … */
  minFactor: z.number().min(1).max(1000).default(3),
  /**
   * … and be this unlikely by chance: the exact Poisson tail of the recent count at the baseline
   * share (the z-test's normal approximation is poor for a handful of rare flags).
   */
  alpha: z.number().min(1e-12).max(0.01).default(1e-5),
});

type Row = Record<string, unknown>;

/**
 * Abuse and injection spikes: an app role and operation whose requests the content filter flags
 * as jailbreak attempts far more often than its baseline. Its incident names app roles and
 * operations only; who sent them is the private prompt-injection-sources query, for authorised
 * direct messages.
 */
export const abuseSpike = defineDetector({
  id: 'abuse-spike',
  title: 'Jailbreak spike',
  description:
    'Requests flagged as jailbreak attempts per app role and operation, recent hour against the days before.',
  queries: ['jailbreak-rate'],
  params,
  condition:
    'An app role’s operation had 5 or more flagged requests in the last hour, at least three times its baseline share, and a count that likely by chance less than once in 100,000 (exact Poisson tail).',
  kind: 'abuse',
  tier: 'P2',
  everyMs: 5 * 60_000,
  evidence: 'prompt-injection by app role and operation (no user identities)',
  async evaluate(p, ctx) {
    const run = await ctx.query('jailbreak-rate', { window: p.window, recent: p.recent });
    const bySubject = new Map<string, { role: string; op: string; recent?: Row; earlier?: Row }>();
    for (const r of rowsOf(run)) {
      const role = str(r.AppRoleName);
      const op = str(r.OperationName);
      const key = `${role} ${op}`;
      const entry = bySubject.get(key) ?? { role, op };
      if (r.Period === 'recent') entry.recent = r;
      else entry.earlier = r;
      bySubject.set(key, entry);
    }
    const findings: Finding[] = [];
    for (const [subject, e] of bySubject) {
      if (!e.recent || num(e.recent.Flagged) < p.minFlagged) continue;
      const base = { hits: num(e.earlier?.Flagged), n: num(e.earlier?.Requests) };
      const now = { hits: num(e.recent.Flagged), n: num(e.recent.Requests) };
      const t = twoProportionTest(base, now);
      if (!t || t.recentRate < p.minFactor * t.baselineRate) continue;
      // A role with no flags in its baseline is held to one flag in its baseline's length of requests.
      const expected = now.n * Math.max(t.baselineRate, 1 / Math.max(base.n, 1));
      const chance = poissonUpperTail(now.hits, expected);
      if (chance >= p.alpha) continue;
      findings.push({
        subject,
        summary: `Jailbreak spike: ${e.role} ${e.op} flagged ${pct(t.recentRate)} of requests`,
        description: `The content filter flagged ${now.hits} of ${e.role}'s ${e.op} requests as jailbreak attempts in the last ${formatDuration(p.recent)} (${pct(t.recentRate)}, against ${pct(t.baselineRate)} before). Who sent them: the private prompt-injection-sources query, in a direct message.`,
        resource: { appRole: e.role },
        values: { flagged: now.hits, z: Math.round(t.z * 100) / 100 },
        details: [
          { label: 'App role', value: e.role },
          { label: 'Operation', value: e.op },
          {
            label: 'Flagged share',
            value: `${pct(t.baselineRate)} → ${pct(t.recentRate)} (${now.hits} flagged where ${expected.toFixed(1)} were expected, ${pValue(chance)})`,
          },
          { label: 'Last flagged', value: str(e.recent.LastFlagged) },
        ],
        labels: { app_role: e.role, operation: e.op },
      });
    }
    return { findings, queryText: run.text };
  },
});
