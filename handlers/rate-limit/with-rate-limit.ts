import type { CommandHandler } from '../commands/command.ts';
import type { LimitedWork } from './rate-limit-policy.ts';
import type { WorkLimiter } from './work-limiter.ts';

/**
 * The rate-limit stage of a costly command: the command runs only when the user's and the global
 * bucket of `work` both have a token; otherwise the user is told when to try again.
 */
export function withRateLimit(
  command: CommandHandler,
  work: LimitedWork,
  limiter: WorkLimiter,
): CommandHandler {
  return {
    ...command,
    async handle(ctx, deps) {
      limiter.takeOrThrow(work, ctx.user.id);
      return command.handle(ctx, deps);
    },
  };
}
