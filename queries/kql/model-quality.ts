import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Answer quality per model version of one deployment, recent hours against the time before. */
export const modelQuality = defineKqlQuery({
  id: 'model-quality',
  title: 'Answer quality per model version',
  description:
    'Refused or filtered answers, answers an evaluator scored ungrounded, and negative user feedback per deployment and model version, in its recent hours and the time before: quality drift after a version rollout.',
  examples: [
    'did answers get worse since the new version?',
    'is the fine-tuned model hallucinating more?',
    'more thumbs down since the rollout?',
    'groundedness per model version of gpt-4.1',
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
    { name: 'FirstSeen', type: 'datetime' },
    { name: 'LastSeen', type: 'datetime' },
    { name: 'Answers', type: 'long', unit: 'answers' },
    { name: 'RefusedRate', type: 'real', unit: '%', decimals: 2 },
    { name: 'UngroundedRate', type: 'real', unit: '%', decimals: 2 },
    { name: 'NegativeRate', type: 'real', unit: '%', decimals: 2 },
    { name: 'MedianLength', type: 'long', unit: 'chars' },
    { name: 'Refused', type: 'long', unit: 'answers' },
    { name: 'Evaluated', type: 'long', unit: 'answers' },
    { name: 'Ungrounded', type: 'long', unit: 'answers' },
    { name: 'Rated', type: 'long', unit: 'answers' },
    { name: 'Negative', type: 'long', unit: 'answers' },
  ],
  // The newest version's recent hours are the suspect; one answer in ten judged ungrounded is bad news.
  headline: {
    column: 'UngroundedRate',
    label: 'Ungrounded answers',
    by: 'ModelVersion',
    threshold: 10,
    worse: 'higher',
  },
  time: 'FirstSeen',
  show: { kind: 'table' },
});
