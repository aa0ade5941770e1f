import type { CommandHandler } from '../../handlers/commands/command.ts';
import { createGpuModule } from '../../handlers/gpu/gpu-module.ts';
import type { MetricsBackend } from '../../queries/backends/metrics-backend.ts';
import { gpuNodesFromKube } from '../../remediation/executors/gpu-nodes.ts';
import { nodeSchedulingFromKube } from '../../remediation/executors/node-scheduling.ts';
import type { Config } from '../config.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';
import { rateLimited } from './rate-limited.ts';

interface GpuSettings {
  backend: MetricsBackend;
  config: Config;
}

/**
 * GPU telemetry: `/gpu` (charged to the `gpu` rate limit), signed chart links and GPU charts on
 * cards; on when there is a metrics backend. Provides the unlimited `/gpu` command to the ask
 * module, whose questions are charged to `ask` only.
 */
export const gpuPlugin: ModulePlugin<
  Pick<ModuleParts, 'clock' | 'backends'>,
  GpuSettings,
  { gpuCommand: CommandHandler }
> = {
  id: 'gpu',
  fromConfig: (config, { backends }) => backends.metrics && { backend: backends.metrics, config },
  setUp({ backend, config }, { clock, backends }) {
    const gpu = createGpuModule({
      backend,
      chartSecret: config.chartUrlSecret,
      publicUrl: config.publicUrl,
      clock,
      timeZone: config.policy.timeZone,
      gpuPolicy: config.policy.gpu,
      knownNodes: backends.knownNodes,
      scheduling:
        backends.remediationTargets && nodeSchedulingFromKube(backends.remediationTargets.kubeConfig),
      gpuNodes: backends.remediationTargets && gpuNodesFromKube(backends.remediationTargets.kubeConfig),
      charts: backends.charts,
      chartPolicy: config.policy.charts,
    });
    return { module: rateLimited(gpu, 'gpu', backends.limiter), provides: { gpuCommand: gpu.gpuCommand } };
  },
};
