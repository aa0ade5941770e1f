import { join } from 'node:path';
import { createRemediationModule } from '../handlers/approvals/remediation-module.ts';
import type { LocalPlatform } from '../sim/local-platform.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { BotModule } from './module.ts';
import type { ChannelTarget } from './outbox/enqueue.ts';

export interface ModuleContext {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  targets: readonly ChannelTarget[];
  /** Wakes the delivery loop after a module queued messages. */
  kick: () => void;
  /** The simulated platform in local mode. */
  platform: LocalPlatform | undefined;
}

/**
 * In local mode the console's users are the on-call group, so a newcomer can propose as one name
 * and approve as another; production policies name their own groups.
 */
const LOCAL_REMEDIATION_POLICY = {
  groups: { oncall: ['console:alice', 'console:bob', 'console:carol', 'console:dave'] },
};

/** Every capability module of the bot, named once, in the order their card additions appear. */
export async function createModules(ctx: ModuleContext): Promise<BotModule[]> {
  const modules: BotModule[] = [];
  const { config } = ctx;
  if (ctx.platform) {
    modules.push(
      await createRemediationModule({
        dbPath: join(config.dataDir, 'bot.db'),
        kubeConfig: ctx.platform.kubeConfig,
        policy: config.policy.remediation ?? LOCAL_REMEDIATION_POLICY,
        store: ctx.store,
        targets: ctx.targets,
        clock: ctx.clock,
        timeZone: config.policy.timeZone,
        onQueued: ctx.kick,
        logger: ctx.logger,
      }),
    );
  }
  return modules;
}
