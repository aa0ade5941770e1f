import { z } from 'zod';
import { subjectFilters, timeRange } from '../params.ts';
import { defineKqlQuery } from './define-kql-query.ts';

/** Tokens and requests per minute against each deployment's quota. */
export const tpmVsQuota = defineKqlQuery({
  id: 'tpm-vs-quota',
  title: 'TPM and RPM used against quota',
  description:
    'Peak and average tokens per minute and peak requests per minute per deployment, against its TPM/RPM quota.',
  examples: [
    'are we close to the TPM quota?',
    'how much of the gpt-4o quota do we use?',
    'requests per minute against the limits',
  ],
  params: z.object({
    ...timeRange({ min: '5m', max: '31d', default: '1h' }),
    ...subjectFilters(),
  }),
  columns: [
    { name: 'Deployment', type: 'string' },
    { name: 'PeakTpm', type: 'long', unit: 'tokens/min' },
    { name: 'AvgTpm', type: 'real', unit: 'tokens/min', decimals: 0 },
    { name: 'TpmLimit', type: 'long', unit: 'tokens/min' },
    { name: 'TpmUsedPct', type: 'real', unit: '%', decimals: 1 },
    { name: 'PeakRpm', type: 'long', unit: 'req/min' },
    { name: 'RpmLimit', type: 'long', unit: 'req/min' },
    { name: 'RpmUsedPct', type: 'real', unit: '%', decimals: 1 },
  ],
  // The 80 % of the Azure Monitor quota alert rule.
  headline: {
    column: 'TpmUsedPct',
    label: 'Peak TPM used of quota',
    by: 'Deployment',
    threshold: 80,
    worse: 'higher',
  },
  show: { kind: 'table' },
});
