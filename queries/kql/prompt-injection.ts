import { z } from 'zod';
import { subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Suspected prompt-injection requests, without identities. */
export const promptInjection = defineKqlQuery({
  id: 'prompt-injection',
  title: 'Suspected prompt injection',
  description:
    'Requests the content filter flagged as jailbreak attempts, per app role and operation (no user identities).',
  examples: ['any prompt injection attempts?', 'jailbreak attempts today', 'which endpoint gets attacked?'],
  params: z.object({
    ...timeRange({ min: '5m', max: '31d', default: '24h' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'AppRoleName', type: 'string' },
    { name: 'OperationName', type: 'string' },
    { name: 'Flagged', type: 'long', unit: 'req' },
    { name: 'FirstSeen', type: 'datetime' },
    { name: 'LastSeen', type: 'datetime' },
  ],
  // Any flagged request deserves a look.
  headline: {
    column: 'Flagged',
    label: 'Most flagged requests',
    by: 'OperationName',
    threshold: 0,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
