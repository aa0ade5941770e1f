import { ackButton, ackCommand } from '../commands/ack-command.ts';
import { alertsCommand } from '../commands/alerts-command.ts';
import type { HandlerDeps } from '../commands/command.ts';
import { resolveCommand } from '../commands/resolve-command.ts';
import {
  silenceButton,
  silenceCommand,
  silencesCommand,
  unsilenceButton,
  unsilenceCommand,
} from '../commands/silence-command.ts';
import type { BotModule } from '../module.ts';
import { sweepExpiredSilences } from './incident-actions.ts';
import { endQuietStorm } from './storm-sweep.ts';

export interface IncidentsModuleOptions {
  handlerDeps: HandlerDeps;
  /** Wakes the delivery loop after the periodic work queued messages. */
  onQueued: () => void;
}

/**
 * The incident lifecycle as a module like the others: `/alerts`, `/ack`, `/resolve`, `/silence`,
 * `/silences`, `/unsilence`, the card's Acknowledge and Silence buttons, and the periodic work
 * that lifts expired silences and ends quiet storms.
 */
export function createIncidentsModule(options: IncidentsModuleOptions): BotModule {
  const { handlerDeps, onQueued } = options;
  return {
    id: 'incidents',
    commands: [alertsCommand, ackCommand, resolveCommand, silenceCommand, silencesCommand, unsilenceCommand],
    buttons: [ackButton, silenceButton, unsilenceButton],
    async tick() {
      const lifted = await sweepExpiredSilences(handlerDeps);
      const stormEnded = await endQuietStorm(handlerDeps);
      if (lifted > 0 || stormEnded !== undefined) onQueued();
    },
  };
}
