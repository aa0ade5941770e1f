import { z } from 'zod';
import { formatDuration } from '../../core/duration.ts';
import { timespan } from '../../queries/params.ts';
import { defineDetector, type Finding } from './detector.ts';
import { num, rowsOf, str } from './result-rows.ts';

const params = z.object({
  window: timespan({ min: '1h', max: '14d', default: '2d' }),
  /** A pipeline whose last success is older than this is stale. */
  staleAfter: timespan({ min: '5m', max: '7d', default: '2h' }),
  /** Failed runs in the window that make a pipeline worth a look even while it is fresh. */
  maxFailedRuns: z.number().int().min(1).default(6),
});

/**
 * Data freshness: a RAG index or embeddings pipeline that stopped succeeding (older than the
 * policy's `staleAfter`) or fails run after run answers from stale data while every request succeeds.
 */
export const stalePipeline = defineDetector({
  id: 'stale-pipeline',
  title: 'Stale data pipeline',
  description:
    'Ingestion and index pipelines (AppTraces) whose last successful run is too old, or that keep failing.',
  queries: ['pipeline-freshness'],
  params,
  condition: 'A pipeline’s last success is older than 2 hours, or it failed 6 runs or more in the window.',
  kind: 'data-freshness',
  tier: 'P2',
  everyMs: 10 * 60_000,
  evidence: 'pipeline-freshness',
  async evaluate(p, ctx) {
    const run = await ctx.query('pipeline-freshness', { window: p.window, stale_after: p.staleAfter });
    const findings: Finding[] = rowsOf(run)
      .filter((r) => r.Stale === true || num(r.FailedRuns) >= p.maxFailedRuns)
      .map((r) => {
        const pipeline = str(r.Pipeline);
        const since = str(r.SinceSuccess) || `more than ${formatDuration(p.window)}`;
        const stale = r.Stale === true;
        return {
          subject: pipeline,
          summary: stale
            ? `Stale data: ${pipeline} has not succeeded for ${since}`
            : `Data pipeline failing: ${pipeline} failed ${num(r.FailedRuns)} runs`,
          description: `${pipeline} last succeeded ${str(r.LastSuccess) || 'never in the window'}; ${num(r.FailedRuns)} runs failed in the last ${formatDuration(p.window)}. Answers built on it use stale data although every request succeeds.`,
          resource: {},
          values: { failedRuns: num(r.FailedRuns) },
          details: [
            { label: 'Pipeline', value: pipeline },
            { label: 'Last success', value: str(r.LastSuccess) || 'none in the window' },
            { label: 'Since success', value: since },
            { label: 'Failed runs', value: String(num(r.FailedRuns)) },
          ],
          labels: { pipeline },
        };
      });
    return { findings, queryText: run.text };
  },
});
