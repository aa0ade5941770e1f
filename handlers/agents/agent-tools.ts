import type { ChannelTarget } from '../../core/outbox/enqueue.ts';
import type { Store } from '../../core/store.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import { gpuQueries } from '../../queries/gpu/catalog.ts';
import type { GpuThresholdPolicy } from '../../queries/gpu/thresholds.ts';
import type { RemediationModule } from '../approvals/remediation-module.ts';
import { type KnownNodes, knownNodesFromBackend } from '../gpu/known-nodes.ts';
import { toRoutableGpuQuery, toRoutableKqlQueries } from '../questions/routable-query.ts';
import type { AgentResource, AgentTool } from './agent-tool.ts';
import { catalogResources } from './catalog-resources.ts';
import { gpuNodeTool } from './gpu-node-tool.ts';
import { incidentTools, type RenderIncident } from './incident-tools.ts';
import { proposeTool } from './propose-tool.ts';
import { gpuQueryTools, kqlQueryTools } from './query-tools.ts';

export interface AgentToolsOptions {
  store: Store;
  targets: readonly ChannelTarget[];
  renderIncident: RenderIncident;
  /** The policy-wrapped logs backend, when vetted KQL is configured. */
  logs: LogsBackend | undefined;
  metrics: MetricsBackend | undefined;
  gpuPolicy: GpuThresholdPolicy;
  knownNodes?: KnownNodes;
  remediation: Pick<RemediationModule, 'propose' | 'actions'> | undefined;
  now: () => number;
}

/**
 * Every tool and resource an agent gets, from the same definitions the question router uses: the
 * router's KQL queries (private ones left out) and GPU queries, the incident views, the GPU node
 * view and, when remediation is on, proposing. Returns the private query ids too, so that asking
 * for one by name is refused as what it is.
 */
export function createAgentTools(options: AgentToolsOptions): {
  tools: AgentTool[];
  resources: AgentResource[];
  privateQueries: Set<string>;
} {
  const kql = options.logs ? toRoutableKqlQueries(options.logs.catalog) : [];
  const gpu = options.metrics
    ? gpuQueries.map((query) => ({ routable: toRoutableGpuQuery(query), query }))
    : [];
  const tools: AgentTool[] = [
    ...incidentTools(options.store, options.renderIncident),
    ...(options.logs ? kqlQueryTools(options.logs, kql) : []),
    ...(options.metrics
      ? [
          ...gpuQueryTools(options.metrics, gpu, options.now),
          gpuNodeTool({
            metrics: options.metrics,
            knownNodes: options.knownNodes ?? knownNodesFromBackend(options.metrics),
            policy: options.gpuPolicy,
            now: options.now,
          }),
        ]
      : []),
    ...(options.remediation
      ? [proposeTool({ remediation: options.remediation, store: options.store, targets: options.targets })]
      : []),
  ];
  const privateQueries = new Set(
    options.logs ? [...options.logs.catalog.values()].filter((q) => q.private).map((q) => q.id) : [],
  );
  return {
    tools,
    resources: catalogResources(
      [...kql, ...gpu.map((g) => g.routable)],
      options.logs?.catalog,
      gpu.map((g) => g.query),
    ),
    privateQueries,
  };
}
