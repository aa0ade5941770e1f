import { z } from 'zod';
import { appRoleFilter, real, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Requests waiting per app role per 5 minutes, against the node-pool scaling trigger. */
export const queueDepth = defineKqlQuery({
  id: 'queue-depth',
  title: 'Request queue depth',
  description:
    'Requests waiting for a worker per app role (the queue_depth metric), per 5 minutes: average, lowest minute and peak, and whether the queue stayed above the scaling trigger (100) for all 5 minutes.',
  examples: ['how deep is the queue?', 'queue depth of chat-api', 'is the backlog over 100 for 5 minutes'],
  params: z.object({
    ...timeRange({ min: '5m', max: '3d', default: '1h' }),
    app_role: appRoleFilter(),
    threshold: real({ min: 1, max: 100_000, default: 100 }),
  }),
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'AppRole', type: 'string' },
    { name: 'AvgDepth', type: 'real', unit: 'req', decimals: 1 },
    { name: 'LowestDepth', type: 'real', unit: 'req', decimals: 1 },
    { name: 'PeakDepth', type: 'real', unit: 'req', decimals: 0 },
    { name: 'Sustained', type: 'bool' },
  ],
  // Above the trigger for 5 minutes: the lowest minute of the 5 is over it.
  headline: {
    column: 'LowestDepth',
    label: 'Queue depth (lowest of 5 min)',
    by: 'AppRole',
    threshold: { param: 'threshold' },
    worse: 'higher',
  },
  show: { kind: 'line', x: 'TimeGenerated', y: ['AvgDepth'], series: 'AppRole', unit: 'req' },
});
