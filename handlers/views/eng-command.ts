import { z } from 'zod';
import { engineeringCard } from '../../cards/templates/engineering-card.ts';
import { deploymentNameText } from '../../queries/cost/cost-policy.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import { type EngineeringDeps, gatherEngineeringView } from './engineering-view.ts';

/** `/eng [deployment]`: the engineering view, always current (every answer runs its queries anew). */
export function createEngCommand(deps: EngineeringDeps, onTimed?: (ms: number) => void): CommandHandler {
  return defineCommand({
    id: 'eng',
    usage: '/eng [deployment]',
    description:
      'Engineering view: GPU use per node (heatmap), latency percentiles vs the SLO, 4xx/5xx by endpoint, throughput per model.',
    args: z
      .object({
        positional: z.array(deploymentNameText).max(1, 'give one deployment at most, like /eng gpt-4o'),
        named: z.object({ deployment: deploymentNameText.optional() }).strict(),
      })
      .transform(({ positional, named }) => ({ deployment: named.deployment ?? positional[0] })),
    async handle({ args }, handlerDeps) {
      const input = await gatherEngineeringView(
        deps,
        handlerDeps.clock.now(),
        handlerDeps.policy.timeZone,
        args.deployment,
      );
      onTimed?.(input.queryMs);
      return engineeringCard(input);
    },
  });
}
