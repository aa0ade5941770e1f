import { z } from 'zod';
import { priceTable, subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/**
 * The reviewed default token prices (USD per 1,000 tokens), the same as the `.kql` file's declared
 * default; the policy file's `pricing` replaces them.
 */
export const DEFAULT_TOKEN_PRICES = {
  'gpt-4o': { inputPer1k: 0.0025, outputPer1k: 0.01 },
  'gpt-4o-mini': { inputPer1k: 0.00015, outputPer1k: 0.0006 },
  'text-embedding-3-large': { inputPer1k: 0.00013, outputPer1k: 0 },
  'o3-mini': { inputPer1k: 0.0011, outputPer1k: 0.0044 },
  'gpt-4.1': { inputPer1k: 0.002, outputPer1k: 0.008 },
} as const;

/** Token cost per team, priced with the policy's price table. */
export const costPerTeam = defineKqlQuery({
  id: 'cost-per-team',
  title: 'Token cost per team',
  description:
    'Prompt and completion tokens per team (sampled rows weighted by ItemCount) priced with the policy file’s price table (USD per 1,000 tokens).',
  examples: [
    'what does each team spend on tokens?',
    'cost per team today',
    'who is driving the Azure OpenAI bill?',
  ],
  params: z.object({
    // A month of spend is a question people ask: up to the workspace's default retention.
    ...timeRange({ min: '1h', max: '31d', default: '24h' }),
    prices: priceTable(DEFAULT_TOKEN_PRICES),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'Team', type: 'string' },
    { name: 'PromptTokens', type: 'long', unit: 'tokens' },
    { name: 'CompletionTokens', type: 'long', unit: 'tokens' },
    { name: 'UnpricedTokens', type: 'long', unit: 'tokens' },
    { name: 'CostUsd', type: 'real', unit: 'USD', decimals: 2 },
  ],
  // A team's reviewed daily budget (the default window is a day); change it here, in review.
  headline: { column: 'CostUsd', label: 'Highest team spend', by: 'Team', threshold: 100, worse: 'higher' },
  show: { kind: 'table' },
  configured: ['prices'],
});
