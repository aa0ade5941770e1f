import { z } from 'zod';
import { subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/**
 * The names in the workspace's own telemetry (deployments, model versions, app roles, operations,
 * teams): what the question router may resolve words to on a real platform. Not offered to the
 * router itself; `/kql inventory` runs it, and the inventory refresher reads it.
 */
export const inventory = defineKqlQuery({
  id: 'inventory',
  title: 'Names seen in the telemetry',
  description:
    'Deployments, model versions, app roles, operations and teams that served requests in the window, with their request counts: the inventory questions resolve names against.',
  examples: ['which deployments exist?', 'what app roles are there?', 'list the model versions in use'],
  params: z.object({ ...timeRange({ min: '1h', max: '31d', default: '7d' }), ...subjectFilters() }),
  columns: [
    { name: 'Deployment', type: 'string' },
    { name: 'ModelVersion', type: 'string' },
    { name: 'AppRoleName', type: 'string' },
    { name: 'OperationName', type: 'string' },
    { name: 'Team', type: 'string' },
    { name: 'Requests', type: 'long', unit: 'req' },
    { name: 'LastSeen', type: 'datetime' },
  ],
  headline: {
    column: 'Requests',
    label: 'Busiest combination',
    by: 'Deployment',
    threshold: 0,
    worse: 'lower',
  },
  show: { kind: 'table' },
  routable: false,
});
