import type { RemediationAction } from './action.ts';
import { cordonNode } from './actions/cordon-node.ts';
import { drainAndResetGpu } from './actions/drain-and-reset-gpu.ts';
import { fileGpuReplacement } from './actions/file-gpu-replacement.ts';
import { rebootNode } from './actions/reboot-node.ts';
import { reduceBatchSize } from './actions/reduce-batch-size.ts';
import { rollbackDeployment } from './actions/rollback-deployment.ts';
import { scaleNodePool } from './actions/scale-node-pool.ts';
import { scaleReplicas } from './actions/scale-replicas.ts';
import { shiftBackendPool } from './actions/shift-backend-pool.ts';
import { shiftTraffic } from './actions/shift-traffic.ts';

/** Every remediation action, named once. */
export const ACTIONS: readonly RemediationAction[] = [
  scaleReplicas,
  shiftTraffic,
  shiftBackendPool,
  reduceBatchSize,
  cordonNode,
  rollbackDeployment,
  scaleNodePool,
  drainAndResetGpu,
  rebootNode,
  fileGpuReplacement,
];
