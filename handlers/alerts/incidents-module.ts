import { ackButton, ackCommand, unackCommand } from '../commands/ack-command.ts';
import { alertsCommand } from '../commands/alerts-command.ts';
import type { HandlerDeps } from '../commands/command.ts';
import { ownCommand } from '../commands/own-command.ts';
import { resolveCommand } from '../commands/resolve-command.ts';
import {
  silenceButton,
  silenceCommand,
  unsilenceButton,
  unsilenceCommand,
} from '../commands/silence-command.ts';
import { silencesCommand } from '../commands/silences-command.ts';
import { stormAckButton, stormSilenceButton } from '../commands/storm-buttons.ts';
import type { BotModule } from '../module.ts';
import { sweepExpiredSilences } from './incident-actions.ts';
import { endQuietStorm } from './storm-sweep.ts';

export interface IncidentsModuleOptions {
  handlerDeps: HandlerDeps;
  /** Wakes the delivery loop after the periodic work queued messages. */
  onQueued: () => void;
}

/**
 * The incident lifecycle as a module like the others: `/alerts`, `/ack`, `/unack`, `/own`,
 * `/resolve`, `/silence`, `/silences`, `/unsilence`, the incident card's Acknowledge and Silence
 * buttons, the storm card's Acknowledge all and Silence all, and the periodic work
 * that lifts expired silences and ends quiet storms.
 */
export function createIncidentsModule(options: IncidentsModuleOptions): BotModule {
  const { handlerDeps, onQueued } = options;
  return {
    id: 'incidents',
    commands: [
      alertsCommand,
      ackCommand,
      unackCommand,
      ownCommand,
      resolveCommand,
      silenceCommand,
      silencesCommand,
      unsilenceCommand,
    ],
    buttons: [ackButton, silenceButton, unsilenceButton, stormAckButton, stormSilenceButton],
    async tick() {
      const lifted = await sweepExpiredSilences(handlerDeps);
      const stormEnded = await endQuietStorm(handlerDeps);
      if (lifted > 0 || stormEnded !== undefined) onQueued();
    },
  };
}
