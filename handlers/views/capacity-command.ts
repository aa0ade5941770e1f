import { z } from 'zod';
import { capacityCard } from '../../cards/templates/capacity-card.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import { type CapacityDeps, gatherCapacityView } from './capacity-view.ts';

/** `/capacity`: the capacity view, now (also posted daily to the digest channel). */
export function createCapacityCommand(deps: CapacityDeps, onTimed?: (ms: number) => void): CommandHandler {
  return defineCommand({
    id: 'capacity',
    usage: '/capacity',
    description:
      'Capacity view: GPU quota per region, scaling headroom, request trend with 30/60/90-day projection, budget burn rate.',
    args: z.object({
      positional: z.array(z.string()).max(0, '/capacity takes no arguments'),
      named: z.object({}).strict(),
    }),
    async handle(_ctx, handlerDeps) {
      const input = await gatherCapacityView(deps, handlerDeps.clock.now(), handlerDeps.policy.timeZone);
      onTimed?.(input.queryMs);
      return capacityCard(input);
    },
  });
}
