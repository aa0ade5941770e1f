import type { Incident } from '../../core/alerts/incident.ts';
import type { BackoffOptions } from '../../core/backoff.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { ChannelTarget } from '../../core/outbox/enqueue.ts';
import type { Store } from '../../core/store.ts';
import type { PagingRepo } from '../../store/paging/paging-repo.ts';
import type { OncallSource } from '../lifecycle/oncall-source.ts';
import type { BotModule } from '../module.ts';
import { deliverPagingEvents } from './deliver-events.ts';
import { fireDueTimers } from './fire-timers.ts';
import type { PagerDutyTarget } from './pagerduty-client.ts';
import type { PagingDeps } from './paging-deps.ts';
import { type PagingPolicy, pagingPolicy } from './paging-policy.ts';
import { postDueDigest } from './post-digest.ts';
import { reconcileIncidents } from './reconcile.ts';
import { sendDigestEmails } from './send-digest-email.ts';
import type { SmtpTarget } from './smtp-client.ts';

export interface PagingModuleOptions {
  /** Where the paging tables live: see {@link openPagingRepo}. Closed with the module. */
  repo: PagingRepo;
  /** The parsed `paging` section of the policy file; undefined for the defaults. */
  policy: PagingPolicy | undefined;
  /** The policy's time zone, used when the digest names none. */
  timeZone: string;
  pagerDuty: PagerDutyTarget | undefined;
  publicUrl: string | undefined;
  smtp?: SmtpTarget;
  store: Store;
  targets: readonly ChannelTarget[];
  clock: Clock;
  logger: Logger;
  onQueued(): void;
  backoff?: BackoffOptions;
  /** Who is on call (the oncall module's source). */
  oncall?: OncallSource | undefined;
}

/** Retries start at 5 s (a 429 waits PagerDuty's 30 s) and stay under 5 min apart. */
const PAGING_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 5 * 60_000, random: Math.random };

/**
 * The tiers' response times as a bot module: P1 pages through PagerDuty (ack and resolve mirrored
 * from chat) and escalates to the secondary on-call when nobody acknowledges; P2 gets an ack
 * reminder; P3 waits for the daily digest. All work is driven from `tick()` and recorded in the
 * paging tables, so any number of replicas can tick at once and each step happens once.
 */
/** The paging module, and the rule that holds P3 cards back for the digest. */
export interface PagingModule extends BotModule {
  tick(): Promise<void>;
  /**
   * True when the incident is delivered another way (the P3 digest), so its card is not posted in
   * the on-call channel. A card already posted is still updated.
   */
  holdsIncidentCard(incident: Incident): boolean;
}

export function createPagingModule(options: PagingModuleOptions): PagingModule {
  const policy = options.policy ?? pagingPolicy.parse({});
  const { repo } = options;
  const deps: PagingDeps = {
    repo,
    store: options.store,
    clock: options.clock,
    logger: options.logger,
    targets: options.targets,
    policy,
    calendar: {
      timeZone: policy.digest.timeZone ?? options.timeZone,
      at: policy.digest.at,
      workingDays: policy.digest.workingDays,
    },
    pagerDuty: options.pagerDuty,
    publicUrl: options.publicUrl,
    smtp: options.smtp,
    backoff: options.backoff ?? PAGING_BACKOFF,
    onQueued: options.onQueued,
    oncall: options.oncall,
  };
  let running: Promise<void> | undefined;
  const run = async () => {
    await reconcileIncidents(deps);
    await deliverPagingEvents(deps);
    await fireDueTimers(deps);
    await deliverPagingEvents(deps);
    await postDueDigest(deps);
    await sendDigestEmails(deps);
  };
  return {
    id: 'paging',
    // P3s go to the digest, not the on-call channel, unless the policy says to post them too.
    holdsIncidentCard: (incident) => incident.tier === 'P3' && !policy.digest.postCardsAtOnce,
    async tick() {
      // One pass at a time per process; other processes are kept apart by the claims.
      if (running) return running;
      running = run().finally(() => {
        running = undefined;
      });
      return running;
    },
    async close() {
      await running?.catch(() => undefined);
      await repo.close();
    },
  };
}
