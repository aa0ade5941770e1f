import { z } from 'zod';
import { subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Semantic cache hit rate per app role. */
export const cacheHitRate = defineKqlQuery({
  id: 'cache-hit-rate',
  title: 'Semantic cache hit rate',
  description: 'Share of requests answered from the semantic cache, per app role.',
  examples: ['is the semantic cache working?', 'cache hit rate today', 'how many requests skip the model?'],
  params: z.object({ ...timeRange({ min: '5m', max: '31d', default: '24h' }), ...subjectFilters() }),
  columns: [
    { name: 'AppRoleName', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'Hits', type: 'long', unit: 'req' },
    { name: 'HitRate', type: 'real', unit: '%', decimals: 1 },
  ],
  // Below a fifth of requests from the cache, the cache no longer pays for itself: the reviewed target.
  headline: {
    column: 'HitRate',
    label: 'Lowest cache hit rate',
    by: 'AppRoleName',
    threshold: 20,
    worse: 'lower',
  },
  show: { kind: 'table' },
});
