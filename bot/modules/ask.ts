import { createAskModule } from '../../handlers/ask/ask-module.ts';
import type { CommandHandler } from '../../handlers/commands/command.ts';
import type { QuestionAnswerer } from '../../handlers/module.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';
import type { Config } from '../config.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';

type Needs = Pick<ModuleParts, 'clock' | 'logger' | 'metrics' | 'backends'> & {
  /** The GPU module's `/gpu`, unlimited: a question is charged to `ask` only. */
  gpuCommand: CommandHandler | undefined;
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
      catalog: logs ? KQL_CATALOG : undefined,
      logs,
      gpuCommand: needs.gpuCommand,
      inventory: needs.backends.inventory,
      clock: needs.clock,
      timeZone: config.policy.timeZone,
      dataDir: config.dataDir,
      llm: config.llm && { ...config.llm, logger: needs.logger, metrics: needs.metrics },
      limiter: needs.backends.limiter,
    });
    return { module, provides: { answerQuestion: module.answerQuestion } };
  },
};
