import { z } from 'zod';
import { datetimeBound, real, subjectFilters, timespan } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Error rate in the recent window against the 7-day baseline. */
export const errorSpike = defineKqlQuery({
  id: 'error-spike',
  title: 'Error-rate spike against the baseline',
  description:
    'App roles whose error rate in the recent window is more than min_ratio times their baseline rate.',
  examples: [
    'is the error rate spiking?',
    'which service fails more than usual?',
    'errors in the last hour versus last week',
  ],
  params: z.object({
    recent: timespan({ min: '5m', max: '1d', default: '1h' }),
    start: datetimeBound('start'),
    end: datetimeBound('end'),
    baseline: timespan({ min: '1h', max: '14d', default: '7d' }),
    min_ratio: real({ min: 1, max: 100, default: 2 }),
    floor_pct: real({ min: 0.001, max: 10, default: 0.1 }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'AppRoleName', type: 'string' },
    { name: 'RecentTotal', type: 'long', unit: 'req' },
    { name: 'RecentErrors', type: 'long', unit: 'req' },
    { name: 'RecentRate', type: 'real', unit: '%', decimals: 2 },
    { name: 'BaselineRate', type: 'real', unit: '%', decimals: 2 },
    { name: 'SpikeRatio', type: 'real', unit: '×', decimals: 1 },
  ],
  headline: {
    column: 'RecentRate',
    label: 'Error rate',
    by: 'AppRoleName',
    baseline: 'BaselineRate',
    worse: 'higher',
  },
  show: { kind: 'table' },
});
