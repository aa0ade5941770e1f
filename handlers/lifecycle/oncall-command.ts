import { z } from 'zod';
import { oncallCard } from '../../cards/templates/oncall-card.ts';
import { UserFacingError } from '../../core/errors.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import type { OncallSource } from './oncall-source.ts';

/** `/oncall`: who is on call now and next, per escalation level, and since when. */
export function createOncallCommand(source: OncallSource | undefined): CommandHandler {
  return defineCommand({
    id: 'oncall',
    usage: '/oncall',
    description: 'Who is on call now and next for each escalation level, and since when.',
    args: z.object({}),
    async handle(_ctx, deps) {
      if (!source)
        throw new UserFacingError(
          'NO_ONCALL_SOURCE',
          'No on-call rotation is configured: add an oncall section with rotations to the policy file, or set PAGERDUTY_API_TOKEN.',
        );
      const now = deps.clock.now();
      return oncallCard({
        levels: await source.levels(now),
        origin: source.origin,
        time: { timeZone: deps.policy.timeZone, now },
      });
    },
  });
}
