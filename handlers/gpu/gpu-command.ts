import { z } from 'zod';
import { gpuCoverageCard } from '../../cards/templates/gpu-coverage.ts';
import { gpuFleetCard } from '../../cards/templates/gpu-fleet.ts';
import { gpuNodeCard } from '../../cards/templates/gpu-node.ts';
import { formatDuration } from '../../core/duration.ts';
import { readXids } from '../../core/gpu/read-xids.ts';
import { type MetricsBackend, runGpuInstant, runGpuRange } from '../../queries/backends/metrics-backend.ts';
import {
  gpuCoverage,
  gpuErrorHistory,
  gpuFleetSummary,
  gpuNodeState,
  infinibandPorts,
} from '../../queries/gpu/catalog.ts';
import { assessCoverage } from '../../queries/gpu/coverage.ts';
import { assembleGpuRows, assembleIbRows } from '../../queries/gpu/node-readings.ts';
import { gpuIndex, MIN_RANGE_MS, nodeName, queryRange } from '../../queries/gpu/params.ts';
import type { GpuThresholdPolicy } from '../../queries/gpu/thresholds.ts';
import { xidSightingsFromSeries } from '../../queries/gpu/xid-history.ts';
import type { GpuNodeInventory } from '../../remediation/executors/gpu-nodes.ts';
import type { NodeScheduling } from '../../remediation/executors/node-scheduling.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import type { ChartLinks } from './chart-links.ts';
import { explainMissingNode, type KnownNodes } from './known-nodes.ts';
import { rangeParam } from './render-gpu-chart.ts';

/** `/gpu [node] [gpu=N] [range=1h]`, from the tokenised command line. */
export const gpuArgs = z
  .object({
    positional: z.array(nodeName).max(1, 'name one node, e.g. /gpu node-7'),
    named: z
      .object({
        node: nodeName.optional(),
        gpu: gpuIndex.optional(),
        range: z.string().default('1h').pipe(queryRange),
      })
      .strict(),
  })
  .transform(({ positional, named }) => ({
    coverage: positional[0] === 'coverage',
    node: positional[0] === 'coverage' ? undefined : (positional[0] ?? named.node),
    gpu: named.gpu,
    rangeMs: named.range,
  }));
export type GpuArgs = z.output<typeof gpuArgs>;

export interface GpuCommandDeps {
  backend: MetricsBackend;
  links: ChartLinks;
  knownNodes: KnownNodes;
  gpuPolicy: GpuThresholdPolicy;
  /** The node's cordon state from the Kubernetes API; without it the card shows none and offers no cordon. */
  scheduling?: NodeScheduling;
  /** GPU nodes and their capacity from the Kubernetes API: blind spots include nodes that never reported. */
  gpuNodes?: GpuNodeInventory;
}

/** The policy's sustain window as a query parameter (the vetted query's minimum is 5 minutes). */
function sustainParam(policy: GpuThresholdPolicy): string {
  return rangeParam(Math.max(MIN_RANGE_MS, policy.utilization.sustain));
}

/**
 * `/gpu node-7 [gpu=3] [range=6h]`: the node's GPUs and InfiniBand ports with a signed chart link;
 * `/gpu` alone: the fleet summary. An unknown node is answered with "did you mean …".
 */
export function createGpuCommand(gpu: GpuCommandDeps): CommandHandler {
  return defineCommand({
    id: 'gpu',
    usage: '/gpu [node|coverage] [gpu=N] [range=1h]',
    description:
      'GPU state of a node (utilisation, memory, temperature, errors, InfiniBand) with a chart; the fleet without a node; `coverage`: what the bot cannot see.',
    args: gpuArgs,
    async handle({ args }, deps) {
      const now = deps.clock.now();
      const range = rangeParam(args.rangeMs);
      const time = { timeZone: deps.policy.timeZone, now };
      const sustain = sustainParam(gpu.gpuPolicy);
      if (args.coverage) {
        const [parts, nodes] = await Promise.all([
          runGpuInstant(gpu.backend, gpuCoverage, { lookback: range }, { at: now }),
          gpu.gpuNodes?.(),
        ]);
        return gpuCoverageCard({
          rows: assessCoverage({
            parts,
            nodes,
            expectedGpusPerNode: gpu.gpuPolicy.coverage.expectedGpusPerNode,
          }),
          time,
          fromKubernetes: nodes !== undefined,
          lookbackLabel: formatDuration(args.rangeMs),
        });
      }
      if (!args.node) {
        const parts = await runGpuInstant(
          gpu.backend,
          gpuFleetSummary,
          { fbPressurePct: gpu.gpuPolicy.framebuffer.criticalAbovePct, sustain },
          { at: now },
        );
        return gpuFleetCard({
          parts,
          time,
          sustainLabel: formatDuration(Math.max(MIN_RANGE_MS, gpu.gpuPolicy.utilization.sustain)),
          policy: gpu.gpuPolicy,
        });
      }
      const node = args.node;
      const [state, ports, errors, scheduling, nodes] = await Promise.all([
        runGpuInstant(
          gpu.backend,
          gpuNodeState,
          { node, gpu: args.gpu, sustain, errorWindow: range },
          { at: now },
        ),
        runGpuInstant(gpu.backend, infinibandPorts, { node, range }, { at: now }),
        runGpuRange(gpu.backend, gpuErrorHistory, { node, gpu: args.gpu, range }, { at: now }),
        gpu.scheduling?.(node),
        gpu.gpuNodes?.(),
      ]);
      const rows = assembleGpuRows(state);
      const expected =
        nodes?.find((n) => n.name === node)?.gpuCapacity ?? gpu.gpuPolicy.coverage.expectedGpusPerNode;
      if (rows.length === 0) {
        // A node Kubernetes says has GPUs is a blind spot, not an unknown name.
        const known = nodes?.some((n) => n.name === node) ? [node] : [];
        return explainMissingNode(
          async () => [...known, ...(await gpu.knownNodes())],
          node,
          args.gpu,
          expected,
        );
      }
      // Every XID of the range, read together per GPU: the XID column shows only the last one.
      const xids = [...xidSightingsFromSeries(errors.xid ?? [], errors.xidCount ?? [])].map(
        ([who, seen]) => ({
          who,
          reading: readXids(seen),
        }),
      );
      return gpuNodeCard({
        node,
        rows,
        xids,
        ib: assembleIbRows(ports),
        scheduling,
        expectedGpus: args.gpu === undefined ? expected : undefined,
        chartUrl: gpu.links.forCommand({ node, gpu: args.gpu, rangeMs: args.rangeMs, end: now }, now),
        rangeLabel: `last ${formatDuration(args.rangeMs)}`,
        time,
        policy: gpu.gpuPolicy,
      });
    },
  });
}
