import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Answer-length histogram per model version and period: the drift detector's distribution test. */
export const responseLength = defineKqlQuery({
  id: 'response-length',
  title: 'Answer length distribution per model version',
  description:
    'Answers per deployment, model version and period (recent hours, the time before) in answer-length buckets a quarter of a power of two wide (bucket b holds lengths from 2^(b/4) characters).',
  examples: [
    'are answers shorter since the new version?',
    'answer length distribution of gpt-4.1',
    'response length per model version',
  ],
  params: z.object({
    ...timeRange({ min: '1h', max: '31d', default: '7d' }),
    recent: timespan({ min: '15m', max: '7d', default: '6h' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'Deployment', type: 'string' },
    { name: 'ModelVersion', type: 'string' },
    { name: 'Period', type: 'string' },
    { name: 'Bucket', type: 'int', unit: 'bucket' },
    { name: 'Answers', type: 'long', unit: 'answers' },
  ],
  headline: {
    column: 'Answers',
    label: 'Answers in the bucket',
    by: 'ModelVersion',
    threshold: 0,
    worse: 'higher',
  },
  show: { kind: 'table' },
  // A building block of the drift detector; "are answers shorter" is asked of model-quality.
  routable: false,
});
