import { buildCatalog } from '../catalog.ts';
import type { MetricQuery } from './define-metric-query.ts';
import { ptuUtilization } from './ptu-utilization.ts';
import { requestsByStatus } from './requests-by-status.ts';
import { spillover } from './spillover.ts';
import { tokenVolume } from './token-volume.ts';

/** Vetted metric queries by id. */
export type MetricCatalog = ReadonlyMap<string, MetricQuery>;

/** Every vetted Azure Monitor metric query, in the order `/aoai` lists them. */
export const METRIC_CATALOG: MetricCatalog = buildCatalog([
  requestsByStatus,
  ptuUtilization,
  spillover,
  tokenVolume,
]);
