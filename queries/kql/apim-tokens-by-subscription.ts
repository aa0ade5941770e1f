import { z } from 'zod';
import { deploymentFilter, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Tokens per APIM subscription (consumer) and deployment, from the AI gateway's LLM log. */
export const apimTokensBySubscription = defineKqlQuery({
  id: 'apim-tokens-by-subscription',
  title: 'AI gateway: tokens by consumer',
  description:
    'Prompt, completion and total tokens per API Management subscription (consumer) and deployment, from the AI gateway’s LLM log, with each consumer’s share of the deployment’s tokens.',
  examples: [
    'which consumer burns the tokens on gpt-4o?',
    'tokens per apim subscription',
    'who is using up the tokens at the gateway',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '7d', default: '1h' }),
    deployment: deploymentFilter(),
  }),
  source: 'apim-gateway',
  columns: [
    { name: 'Subscription', type: 'string' },
    { name: 'Deployment', type: 'string' },
    { name: 'PromptTokens', type: 'long', unit: 'tokens' },
    { name: 'CompletionTokens', type: 'long', unit: 'tokens' },
    { name: 'TotalTokens', type: 'long', unit: 'tokens' },
    { name: 'TokenShare', type: 'real', unit: '%', decimals: 1 },
  ],
  // One consumer with more than half of a deployment's tokens is the one to talk to first.
  headline: {
    column: 'TokenShare',
    label: 'Largest consumer share',
    by: 'Subscription',
    threshold: 50,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
