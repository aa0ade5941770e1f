import { z } from 'zod';
import { deploymentFilter, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Tokens per APIM subscription (consumer) and deployment, from the AI gateway's LLM log. */
export const apimTokensBySubscription = defineKqlQuery({
  id: 'apim-tokens-by-subscription',
  title: 'AI gateway: share of each deployment per subscription',
  description:
    'Prompt, completion and total tokens the API Management AI gateway counted per subscription (consumer) and deployment, with each subscription’s share of the deployment.',
  examples: [
    'which apim subscription uses the most of gpt-4o?',
    'token share per gateway subscription',
    'which consumer of the ai gateway burns the tokens',
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
