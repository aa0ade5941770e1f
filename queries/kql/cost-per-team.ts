import { z } from 'zod';
import { real, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Token cost per team from the reviewed price list. */
export const costPerTeam = defineKqlQuery({
  id: 'cost-per-team',
  title: 'Token cost per team',
  description:
    'Prompt and completion tokens per team priced with the reviewed price list (USD per million tokens).',
  examples: [
    'what does each team spend on tokens?',
    'cost per team today',
    'who is driving the Azure OpenAI bill?',
  ],
  params: z.object({
    window: timespan({ min: '1h', max: '7d', default: '24h' }),
    price_factor: real({ min: 0.01, max: 100, default: 1 }),
  }),
  columns: [
    { name: 'Team', type: 'string' },
    { name: 'PromptTokens', type: 'long' },
    { name: 'CompletionTokens', type: 'long' },
    { name: 'CostUsd', type: 'real' },
  ],
  show: { kind: 'table' },
});
