import { z } from 'zod';
import { statusCard } from '../../cards/templates/status-card.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import { type ExecutiveDeps, gatherExecutiveView } from './executive-view.ts';

/** `/status`: the executive view, now. It takes no arguments: the audience wants one answer. */
export function createStatusCommand(deps: ExecutiveDeps, onTimed?: (ms: number) => void): CommandHandler {
  return defineCommand({
    id: 'status',
    usage: '/status',
    description:
      'Executive view: SLA per deployment, spend against budget, requests, users, incidents, MTTA/MTTR.',
    args: z.object({
      positional: z.array(z.string()).max(0, '/status takes no arguments'),
      named: z.object({}).strict(),
    }),
    async handle(_ctx, handlerDeps) {
      const input = await gatherExecutiveView(deps, handlerDeps.clock.now(), handlerDeps.policy.timeZone);
      onTimed?.(input.queryMs);
      return statusCard(input);
    },
  });
}
