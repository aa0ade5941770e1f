import { createTimelineModule } from '../../handlers/timeline/timeline-module.ts';
import type { Config } from '../config.ts';
import type { CommandsSoFar, ModuleParts, ModulePlugin } from '../module-list.ts';

/**
 * `/timeline` and `/postmortem`, always on: they read the store's timeline and the modules listed
 * before this one. Postmortem links are signed with the bot's signed-URL secret.
 */
export const timelinePlugin: ModulePlugin<
  Pick<CommandsSoFar, 'modulesSoFar'> & Pick<ModuleParts, 'handlerDeps'>,
  Config
> = {
  id: 'timeline',
  fromConfig: (config) => config,
  setUp: (config, { modulesSoFar, handlerDeps }) => ({
    module: createTimelineModule({
      sources: modulesSoFar,
      handlerDeps,
      secret: config.chartUrlSecret,
      publicUrl: config.publicUrl,
    }),
    provides: {},
  }),
};
