import { z } from 'zod';
import { priceTable, subjectFilters, timeRange, timespan } from '../params.ts';
import { DEFAULT_TOKEN_PRICES } from './cost-per-team.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/**
 * Token spend per time bucket, team, deployment and model version, priced with the policy's price
 * table: the rows `/cost`, the executive and capacity views and the budget evaluator add up.
 */
export const tokenSpend = defineKqlQuery({
  id: 'token-spend',
  title: 'Token spend by team, deployment and model',
  description:
    'Prompt and completion tokens per time bucket, team, deployment and model version (sampled rows weighted by ItemCount), priced with the policy file’s price table.',
  examples: [
    'token spend by deployment this month',
    'how much did gpt-4o cost per day this week?',
    'spend per model version since monday',
  ],
  params: z.object({
    // A calendar month of spend, for monthly budgets: up to 31 days.
    ...timeRange({ min: '1h', max: '31d', default: '24h' }),
    bucket: timespan({ min: '1h', max: '31d', default: '1d' }),
    prices: priceTable(DEFAULT_TOKEN_PRICES),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Team', type: 'string' },
    { name: 'Deployment', type: 'string' },
    { name: 'ModelVersion', type: 'string' },
    { name: 'PromptTokens', type: 'long', unit: 'tokens' },
    { name: 'CompletionTokens', type: 'long', unit: 'tokens' },
    { name: 'UnpricedTokens', type: 'long', unit: 'tokens' },
    { name: 'CostUsd', type: 'real', unit: 'USD', decimals: 2 },
  ],
  // The same reviewed daily figure as cost-per-team's headline: one deployment's day over it is worth a look.
  headline: { column: 'CostUsd', label: 'Spend', by: 'Deployment', threshold: 100, worse: 'higher' },
  time: 'TimeGenerated',
  // A building block of the views (/cost, /status): questions keep going to the queries people know.
  routable: false,
  show: { kind: 'table' },
  configured: ['prices'],
});
