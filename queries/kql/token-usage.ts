import { z } from 'zod';
import { subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Token consumption per model deployment. */
export const tokenUsage = defineKqlQuery({
  id: 'token-usage',
  title: 'Token consumption by deployment',
  description: 'Requests, total and average tokens per Azure OpenAI deployment.',
  examples: [
    'which deployment uses the most tokens?',
    'token usage today',
    'how many tokens did gpt-4o burn this week?',
  ],
  params: z.object({ ...timeRange({ min: '5m', max: '31d', default: '24h' }), ...subjectFilters() }),
  columns: [
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'TotalTokens', type: 'long', unit: 'tokens' },
    { name: 'AvgTokens', type: 'real', unit: 'tokens', decimals: 1 },
  ],
  // A deployment's reviewed daily token budget (the default window is a day); change it here, in review.
  headline: {
    column: 'TotalTokens',
    label: 'Most tokens',
    by: 'Deployment',
    threshold: 50_000_000,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
