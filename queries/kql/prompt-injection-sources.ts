import { z } from 'zod';
import { long, subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Who sent flagged requests: user ids and addresses, so private. */
export const promptInjectionSources = defineKqlQuery({
  id: 'prompt-injection-sources',
  title: 'Sources of suspected prompt injection',
  description:
    'User ids and client addresses behind flagged jailbreak attempts. Private: answered only in a direct message.',
  examples: [
    'who is sending jailbreak prompts?',
    'which users tripped the content filter?',
    'sources of prompt injection',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '31d', default: '24h' }),
    limit: long({ min: 1, max: 100, default: 20 }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'UserId', type: 'string' },
    { name: 'ClientIP', type: 'string' },
    { name: 'Flagged', type: 'long', unit: 'req' },
    { name: 'LastSeen', type: 'datetime' },
  ],
  // Any flagged request deserves a look.
  headline: {
    column: 'Flagged',
    label: 'Most flagged requests',
    by: 'UserId',
    threshold: 0,
    worse: 'higher',
  },
  show: { kind: 'table' },
  private: true,
});
