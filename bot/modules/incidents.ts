import { createIncidentsModule } from '../../handlers/alerts/incidents-module.ts';
import type { ModuleParts, ModulePlugin } from '../module-list.ts';

/**
 * The core of the bot, always on: `/alerts`, `/ack`, `/resolve`, the silence commands, the card's
 * Acknowledge and Silence buttons, and the periodic work that lifts silences and ends storms.
 */
export const incidentsPlugin: ModulePlugin<Pick<ModuleParts, 'handlerDeps' | 'queued'>, true> = {
  id: 'incidents',
  fromConfig: () => true,
  setUp: (_on, { handlerDeps, queued }) => ({
    module: createIncidentsModule({ handlerDeps, onQueued: queued }),
    provides: {},
  }),
};
