import { createQueriesModule, openEvidenceRepo } from '../../handlers/queries/queries-module.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { Config } from '../config.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';
import { rateLimited } from './rate-limited.ts';

type Needs = Pick<ModuleParts, 'store' | 'targets' | 'clock' | 'logger' | 'queued' | 'tracing' | 'backends'>;

interface QueriesSettings {
  logs: LogsBackend;
  config: Config;
}

/**
 * Vetted KQL: `/kql` (charged to the `kql` rate limit) and evidence on incident cards; on when
 * there is a logs backend (simulated telemetry in local mode, else Log Analytics).
 */
export const queriesPlugin: ModulePlugin<Needs, QueriesSettings> = {
  id: 'queries',
  fromConfig: (config, { backends }) => backends.logs && { logs: backends.logs, config },
  async setUp({ logs, config }, needs) {
    const module = createQueriesModule({
      backend: logs,
      metrics: needs.backends.azureMetrics,
      store: needs.store,
      targets: needs.targets,
      clock: needs.clock,
      // Shared by replicas on DATABASE_URL, so an incident's evidence is collected once.
      evidence: await openEvidenceRepo(needs.store.evidence, {
        dataDir: config.dataDir,
        now: needs.clock.now(),
        logger: needs.logger,
      }),
      logger: needs.logger,
      onQueued: needs.queued,
      publicUrl: config.publicUrl,
      timeZone: config.policy.timeZone,
      tracing: needs.tracing,
      policy: config.policy,
      charts: needs.backends.charts,
    });
    return { module: rateLimited(module, 'kql', needs.backends.limiter), provides: {} };
  },
};
