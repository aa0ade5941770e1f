import { createViewsModule } from '../../handlers/views/views-module.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { Config } from '../config.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';
import { rateLimited } from './rate-limited.ts';

type Needs = Pick<ModuleParts, 'store' | 'clock' | 'logger' | 'backends' | 'targets' | 'queued'>;

interface ViewsSettings {
  logs: LogsBackend;
  config: Config;
}

/**
 * The dashboards in chat (`/cost`, `/status` …), charged to the `kql` rate limit like the vetted
 * queries they run; on when there is a logs backend (simulated telemetry in local mode, else Log
 * Analytics). GPU figures need the metrics backend and are left out without one.
 */
export const viewsPlugin: ModulePlugin<Needs, ViewsSettings> = {
  id: 'views',
  fromConfig: (config, { backends }) => backends.logs && { logs: backends.logs, config },
  async setUp({ logs, config }, needs) {
    const digest = config.policy.views.digest.channel
      ? {
          // The store's: shared by the replicas on PostgreSQL (one digest per slot).
          claims: needs.store.slotClaims,
          targets: needs.targets,
          timeZone: config.policy.timeZone,
          onQueued: needs.queued,
        }
      : undefined;
    const module = createViewsModule({
      logs,
      metrics: needs.backends.metrics,
      store: needs.store,
      clock: needs.clock,
      logger: needs.logger,
      cost: config.policy.cost,
      views: config.policy.views,
      pricedDeployments: Object.keys(config.policy.pricing),
      retentionMs: config.policy.retention,
      charts: needs.backends.charts,
      publicUrl: config.publicUrl,
      ...(digest ? { digest } : {}),
    });
    return { module: rateLimited(module, 'kql', needs.backends.limiter), provides: {} };
  },
};
