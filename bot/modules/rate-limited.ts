import type { BotModule } from '../../handlers/module.ts';
import type { LimitedWork } from '../../handlers/rate-limit/rate-limit-policy.ts';
import { withRateLimit } from '../../handlers/rate-limit/with-rate-limit.ts';
import type { WorkLimiter } from '../../handlers/rate-limit/work-limiter.ts';

/** A module whose commands are costly (/gpu, /kql): each run is charged to the limiter as `work`. */
export function rateLimited(module: BotModule, work: LimitedWork, limiter: WorkLimiter): BotModule {
  return { ...module, commands: module.commands?.map((c) => withRateLimit(c, work, limiter)) };
}
