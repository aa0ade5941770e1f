import { z } from 'zod';
import { timespan } from '../params.ts';
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
  params: z.object({ window: timespan({ min: '5m', max: '7d', default: '24h' }) }),
  columns: [
    { name: 'Deployment', type: 'string' },
    { name: 'Requests', type: 'long' },
    { name: 'TotalTokens', type: 'long' },
    { name: 'AvgTokens', type: 'real' },
  ],
  show: { kind: 'table' },
});
