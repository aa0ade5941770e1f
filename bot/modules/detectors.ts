import { createDetectorsModule } from '../../handlers/detectors/detectors-module.ts';
import type { DetectorsPolicy } from '../../handlers/detectors/detectors-policy.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { Config } from '../config.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';

type Needs = Pick<ModuleParts, 'store' | 'targets' | 'clock' | 'logger' | 'queued' | 'metrics' | 'backends'>;

interface DetectorsSettings {
  policy: DetectorsPolicy;
  logs: LogsBackend;
  config: Config;
}

/**
 * The bot's own detectors (silent outage, model drift, stale pipelines, budgets): on when there is a logs
 * backend to run them on and the policy does not turn them off.
 */
export const detectorsPlugin: ModulePlugin<Needs, DetectorsSettings> = {
  id: 'detectors',
  fromConfig: (config, { backends }) =>
    backends.logs && config.policy.detectors.enabled
      ? { policy: config.policy.detectors, logs: backends.logs, config }
      : undefined,
  setUp({ policy, logs, config }, needs) {
    const module = createDetectorsModule({
      policy,
      alertPolicy: config.policy,
      logs,
      metrics: needs.backends.metrics,
      cost: config.policy.cost,
      store: needs.store,
      targets: needs.targets,
      clock: needs.clock,
      logger: needs.logger,
      registry: needs.metrics?.registry,
      onQueued: needs.queued,
    });
    return { module, provides: {} };
  },
};
