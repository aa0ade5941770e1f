import { createAoaiCommand } from '../../handlers/queries/aoai-command.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';
import { rateLimited } from './rate-limited.ts';

type Needs = Pick<ModuleParts, 'backends'>;

/**
 * Azure Monitor platform metrics of the Azure OpenAI resources: `/aoai` (charged to the `kql`
 * rate limit, as a query of the same cost). Always on: without a metrics source the command says
 * what to configure, so a missing source is never an empty answer.
 */
export const azureMetricsPlugin: ModulePlugin<Needs, true> = {
  id: 'azure-metrics',
  fromConfig: () => true,
  async setUp(_settings, { backends }) {
    const module = { id: 'azure-metrics', commands: [createAoaiCommand(backends.azureMetrics)] };
    return { module: rateLimited(module, 'kql', backends.limiter), provides: {} };
  },
};
