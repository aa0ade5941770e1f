import type { Clock } from '../../bot/clock.ts';
import type { Logger } from '../../bot/logger.ts';
import type { BackoffOptions } from '../../bot/outbox/backoff.ts';
import type { ChannelTarget } from '../../bot/outbox/enqueue.ts';
import type { PagingRepo } from '../../store/paging/paging-repo.ts';
import type { Store } from '../../store/store.ts';
import type { BusinessCalendar } from './business-day.ts';
import type { PagerDutyTarget } from './pagerduty-client.ts';
import type { PagingPolicy } from './paging-policy.ts';
import type { SmtpTarget } from './smtp-client.ts';

/** What every step of the paging module needs; built once by the module. */
export interface PagingDeps {
  repo: PagingRepo;
  store: Store;
  clock: Clock;
  logger: Logger;
  targets: readonly ChannelTarget[];
  policy: PagingPolicy;
  calendar: BusinessCalendar;
  /** Without it P1s are not paged (reminders, escalation notes and digests still run). */
  pagerDuty: PagerDutyTarget | undefined;
  publicUrl: string | undefined;
  /** SMTP relay for the digest email, when configured. */
  smtp: SmtpTarget | undefined;
  backoff: BackoffOptions;
  /** Wakes the chat delivery loop after messages were queued. */
  onQueued(): void;
}
