import { createAskModule } from '../../handlers/ask/ask-module.ts';
import type { CommandHandler } from '../../handlers/commands/command.ts';
import type { QuestionAnswerer } from '../../handlers/module.ts';
import type { InventorySource } from '../../handlers/questions/live-inventory.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import { catalogOfSources } from '../../queries/catalog-sources.ts';
import type { Config } from '../config.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';

type Needs = Pick<ModuleParts, 'clock' | 'logger' | 'metrics' | 'backends'> & {
  /** The GPU module's `/gpu`, unlimited: a question is charged to `ask` only. */
  gpuCommand: CommandHandler | undefined;
  /** The discovered names (the inventory module's), which each question reads as they are then. */
  inventory: InventorySource | undefined;
};

/**
 * Questions in words, answered only through the vetted KQL and GPU queries: on when either is.
 * Provides the answerer the dispatcher hands plain questions to.
 */
export const askPlugin: ModulePlugin<Needs, Config, { answerQuestion: QuestionAnswerer }> = {
  id: 'ask',
  fromConfig: (config, { backends, gpuCommand }) => (backends.logs || gpuCommand ? config : undefined),
  setUp(config, needs) {
    const { logs } = needs.backends;
    const module = createAskModule({
      // Only the queries whose tables the workspace has: a question is never routed to a refusal.
      catalog: logs ? catalogOfSources(KQL_CATALOG, config.policy.logSources) : undefined,
      logs,
      gpuCommand: needs.gpuCommand,
      inventory: needs.inventory ?? needs.backends.inventory,
      clock: needs.clock,
      timeZone: config.policy.timeZone,
      dataDir: config.dataDir,
      llm: config.llm && { ...config.llm, logger: needs.logger, metrics: needs.metrics },
      limiter: needs.backends.limiter,
    });
    return { module, provides: { answerQuestion: module.answerQuestion } };
  },
};
