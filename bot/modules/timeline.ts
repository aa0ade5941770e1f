import { createTimelineModule } from '../../handlers/timeline/timeline-module.ts';
import type { CommandsSoFar, ModulePlugin } from '../module-list.ts';

/** `/timeline`, always on: reads the store's timeline and the modules listed before it. */
export const timelinePlugin: ModulePlugin<Pick<CommandsSoFar, 'modulesSoFar'>, true> = {
  id: 'timeline',
  fromConfig: () => true,
  setUp: (_on, { modulesSoFar }) => ({
    module: createTimelineModule({ sources: modulesSoFar }),
    provides: {},
  }),
};
