import type { BotModule } from '../module.ts';
import { createTimelineCommand } from './timeline-command.ts';

/**
 * The incident timeline as a module: `/timeline`, over the store's timeline and what the modules
 * before it keep in their own records.
 */
export function createTimelineModule(options: { sources: readonly BotModule[] }): BotModule {
  return {
    id: 'timeline',
    commands: [createTimelineCommand(() => options.sources)],
  };
}
