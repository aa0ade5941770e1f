import type { LocalPlatform } from '../local-mode.ts';
import { simulatedExporterModule } from '../local-mode.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';

/** Local mode only: the simulated fleet's DCGM exporter, for a real Prometheus to scrape. */
export const simDcgmExporterPlugin: ModulePlugin<Pick<ModuleParts, 'platform'>, LocalPlatform> = {
  id: 'sim-dcgm-exporter',
  fromConfig: (_config, { platform }) => platform,
  setUp: (platform) => ({ module: simulatedExporterModule(platform), provides: {} }),
};
