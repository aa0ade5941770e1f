import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../../bot/clock.ts';
import type { Logger } from '../../bot/logger.ts';
import type { BotModule } from '../../bot/module.ts';
import type { ChannelTarget } from '../../bot/outbox/enqueue.ts';
import type { Store } from '../../store/store.ts';
import { setupRemediation } from './approval-handlers.ts';

export interface RemediationModuleOptions {
  dbPath: string;
  kubeConfig: KubeConfig;
  /** The `remediation` section of the policy file. */
  policy: unknown;
  store: Store;
  targets: readonly ChannelTarget[];
  clock: Clock;
  timeZone: string;
  onQueued(): void;
  logger: Logger;
}

/**
 * Human-approved remediations as a bot module: /remediate, /audit and /remediation, the
 * Propose/Approve/Reject buttons, suggested actions on incident cards, and the expiry sweep.
 * Approved work interrupted by a restart is resumed before the module is handed out.
 */
export async function createRemediationModule(options: RemediationModuleOptions): Promise<BotModule> {
  const r = setupRemediation(options);
  await r.service.recover();
  return {
    id: 'remediation',
    commands: r.commands,
    buttons: r.buttons,
    enrichIncidentCard: (incident) => ({ actions: r.suggestedActions(incident) }),
    async tick() {
      await r.sweepExpired();
    },
    close: () => r.close(),
  };
}
