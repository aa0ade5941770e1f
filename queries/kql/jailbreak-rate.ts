import { z } from 'zod';
import { subjectFilters, timeRange, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Jailbreak flags per app role and operation, recent hour against the days before: the abuse detector's query. */
export const jailbreakRate = defineKqlQuery({
  id: 'jailbreak-rate',
  title: 'Jailbreak flag rate per app role',
  description:
    'Share of requests the content filter flagged as jailbreak attempts per app role and operation, in the recent hour and the days before it (no user identities).',
  examples: [
    'is there a jailbreak spike right now?',
    'jailbreak rate per app role',
    'more prompt injection attempts than usual?',
  ],
  params: z.object({
    ...timeRange({ min: '1h', max: '31d', default: '7d' }),
    recent: timespan({ min: '5m', max: '1d', default: '1h' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'AppRoleName', type: 'string' },
    { name: 'OperationName', type: 'string' },
    { name: 'Period', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'rows' },
    { name: 'Flagged', type: 'long', unit: 'rows' },
    { name: 'FlaggedRate', type: 'real', unit: '%', decimals: 3 },
    { name: 'LastFlagged', type: 'datetime' },
  ],
  headline: {
    column: 'FlaggedRate',
    label: 'Flagged as jailbreak',
    by: 'AppRoleName',
    threshold: 1,
    worse: 'higher',
  },
  show: { kind: 'table' },
  // The abuse detector's building block; people ask prompt-injection.
  routable: false,
});
