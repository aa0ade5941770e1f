import type { BackoffOptions } from '../../core/backoff.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { ChannelTarget } from '../../core/outbox/enqueue.ts';
import type { Store } from '../../core/store.ts';
import type { PagingRepo } from '../../store/paging/paging-repo.ts';
import type { OncallSource } from '../lifecycle/oncall-source.ts';
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
  /** Who is on call, to name whom a page and an escalation reach (else the policy's chat rotation). */
  oncall?: OncallSource | undefined;
  /** Wakes the chat delivery loop after messages were queued. */
  onQueued(): void;
}
