import { UserFacingError } from '../../core/errors.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import { gpuFleetSummary } from '../../queries/gpu/catalog.ts';
import { buildGpuQuery } from '../../queries/gpu/define-gpu-query.ts';
import { nodeOf } from '../../queries/gpu/metric-names.ts';
import { suggestNodes } from '../../queries/gpu/suggest-node.ts';

/** Lists the GPU nodes the bot knows of. */
export type KnownNodes = () => Promise<string[]>;

/**
 * Nodes that report DCGM metrics now, from the backend (one instant query: the per-node
 * temperature of the fleet summary), sorted naturally.
 */
export function knownNodesFromBackend(backend: MetricsBackend): KnownNodes {
  return async () => {
    const spec = buildGpuQuery(gpuFleetSummary, {}).nodeTempMax!;
    const samples = await backend.instant(spec);
    const names = new Set(samples.map((s) => nodeOf(s.labels)).filter((n): n is string => !!n));
    return [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  };
}

/**
 * Explains why a node query came back empty: an unknown node (with "did you mean …"), a GPU
 * index the node does not have, or a known node whose exporter reports nothing right now.
 */
export async function explainMissingNode(
  knownNodes: KnownNodes,
  node: string,
  gpu: number | undefined,
  expectedGpus?: number,
): Promise<never> {
  const known = await knownNodes();
  if (known.includes(node)) {
    if (gpu !== undefined && (expectedGpus === undefined || gpu >= expectedGpus))
      throw new UserFacingError('UNKNOWN_GPU', `${node} has no GPU ${gpu}.`);
    const what = gpu !== undefined ? `GPU ${gpu} of ${node}` : node;
    const has = expectedGpus !== undefined && gpu === undefined ? ` (it has ${expectedGpus} GPUs)` : '';
    throw new UserFacingError(
      'NO_GPU_DATA',
      `Blind spot: ${what} reports no GPU metrics right now${has}, so no GPU alert can fire for it. ` +
        'Its DCGM exporter may be down, or the GPU fell off the bus (XID 79); see /gpu coverage.',
    );
  }
  const close = suggestNodes(node, known);
  const hint = close.length
    ? ` Did you mean ${close.join(' or ')}?`
    : known.length
      ? ` Known GPU nodes: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}.`
      : '';
  throw new UserFacingError('UNKNOWN_NODE', `No GPU node named "${node}".${hint}`);
}
