import { z } from 'zod';
import { timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** 429s and 403s at the AI gateway per subscription and the policy (or backend) behind them. */
export const apimPolicyRejections = defineKqlQuery({
  id: 'apim-policy-rejections',
  title: 'AI gateway: rejections by policy and subscription',
  description:
    'Calls the API Management AI gateway rejected per subscription and cause: its token-limit policy, its token quota, or the backend’s own answer passed through.',
  examples: [
    'is the gateway policy rejecting anyone?',
    'apim rejections per subscription',
    'subscriptions the gateway blocked',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '7d', default: '1h' }),
  }),
  source: 'apim-gateway',
  columns: [
    { name: 'Subscription', type: 'string' },
    { name: 'Cause', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'Rejected', type: 'long', unit: 'req' },
    { name: 'Throttled', type: 'long', unit: 'req' },
    { name: 'OverQuota', type: 'long', unit: 'req' },
    { name: 'RejectedRate', type: 'real', unit: '%', decimals: 2 },
  ],
  // The 5 % of the throttling alert rule, per consumer.
  headline: {
    column: 'RejectedRate',
    label: 'Rejected at the gateway',
    by: 'Subscription',
    threshold: 5,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
