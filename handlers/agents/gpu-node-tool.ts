import { z } from 'zod';
import { type MetricsBackend, runGpuInstant } from '../../queries/backends/metrics-backend.ts';
import { gpuNodeState, infinibandPorts } from '../../queries/gpu/catalog.ts';
import { assembleGpuRows, assembleIbRows } from '../../queries/gpu/node-readings.ts';
import { gpuIndex, MIN_RANGE_MS, nodeName } from '../../queries/gpu/params.ts';
import { classifyGpu, type GpuThresholdPolicy } from '../../queries/gpu/thresholds.ts';
import { explainMissingNode, type KnownNodes } from '../gpu/known-nodes.ts';
import { rangeParam } from '../gpu/render-gpu-chart.ts';
import type { AgentTool } from './agent-tool.ts';

const input = z.strictObject({
  node: nodeName.describe('The GPU node, e.g. node-7.'),
  gpu: gpuIndex.optional().describe('Only this GPU index of the node.'),
});

/**
 * `get_gpu_node`: what `/gpu node-7` shows, as data: each GPU's readings and the policy's verdict
 * (ok, warning, critical, with the reasons), and the node's InfiniBand ports.
 */
export function gpuNodeTool(options: {
  metrics: MetricsBackend;
  knownNodes: KnownNodes;
  policy: GpuThresholdPolicy;
  now: () => number;
}): AgentTool {
  const sustain = rangeParam(Math.max(MIN_RANGE_MS, options.policy.utilization.sustain));
  return {
    name: 'get_gpu_node',
    title: 'Get the GPU state of a node',
    description:
      'Utilisation, memory, temperature, power, ECC and XID errors and clock events of each GPU on a node now, each judged against the thresholds of the policy, plus the state and error counters of its InfiniBand ports.',
    input,
    readOnly: true,
    work: 'gpu',
    async run(args) {
      const { node, gpu } = input.parse(args);
      const at = options.now();
      const [state, ports] = await Promise.all([
        runGpuInstant(options.metrics, gpuNodeState, { node, gpu, sustain }, { at }),
        runGpuInstant(options.metrics, infinibandPorts, { node }, { at }),
      ]);
      const rows = assembleGpuRows(state);
      if (rows.length === 0) await explainMissingNode(options.knownNodes, node, gpu);
      const gpus = rows.map((r) => {
        const verdict = classifyGpu(r, options.policy);
        return { ...r, level: verdict.level, workload: verdict.workload, findings: verdict.findings };
      });
      const ib = assembleIbRows(ports);
      const bad = gpus.filter((g) => g.level === 'warning' || g.level === 'critical');
      return {
        structured: { node, at: new Date(at).toISOString(), gpus, infiniband: ib },
        text: [
          `${node}: ${gpus.length} GPU${gpus.length === 1 ? '' : 's'}, ${bad.length} needing attention.`,
          ...bad.map((g) => `GPU ${g.gpu} ${g.level}: ${g.findings.join('; ')}`),
        ].join('\n'),
      };
    },
  };
}
