import { setImmediate } from 'node:timers/promises';
import type { Incident } from '../../core/alerts/incident.ts';
import { type BackoffOptions, DEFAULT_BACKOFF, nextDelayMs } from '../../core/backoff.ts';
import type { ChatSurface } from '../../core/chat-surface.ts';
import type { Clock } from '../../core/clock.ts';
import { DeliveryDeferred, DeliveryError } from '../../core/errors.ts';
import type { OutboxEntry, SurfaceId } from '../../core/outbox/outbox-entry.ts';
import type { ProposalCardSource } from '../../core/outbox/proposal-cards.ts';
import type { Store } from '../../core/store.ts';
import type { IncidentCardRenderer } from '../../handlers/alerts/incident-view.ts';
import { createStormCardRenderer, type StormCardRenderer } from '../../handlers/alerts/storm-view.ts';
import type { Logger } from '../logger.ts';
import type { BotMetrics } from '../metrics.ts';
import type { Tracing } from '../tracing.ts';
import { type SendDeps, type SendOutcome, sendEntry } from './send-entry.ts';

export interface DeliveryLoopDeps {
  store: Store;
  surfaces: ReadonlyMap<SurfaceId, ChatSurface>;
  renderIncident: IncidentCardRenderer;
  /** Alert storm cards (times in UTC when not given). */
  renderStorm?: StormCardRenderer;
  /** Whether an incident's card is held back (the paging module's P3 digest rule). */
  holdsIncidentCard?: (incident: Incident) => boolean;
  /** Remediation proposal cards (the remediation module's), when remediation is on. */
  proposalCards?: ProposalCardSource;
  clock: Clock;
  logger: Logger;
  metrics: BotMetrics;
  /** Deliveries join the trace of the intake that changed their incident. */
  tracing?: Tracing;
  backoff?: BackoffOptions;
  /** Entries leased per round; different order keys are delivered concurrently. */
  batchSize?: number;
  /**
   * How long a claimed entry stays invisible to other workers. A delivery in flight renews it, so
   * this bounds how long a crashed replica's claims hold up their order keys, not how long a slow
   * platform may take.
   */
  leaseMs?: number;
  /** How often a delivery in flight renews its lease (a third of the lease by default). */
  renewEveryMs?: number;
  /** Longest sleep between rounds, so entries written by other replicas are picked up. */
  pollMs?: number;
  /** Unknown (non-DeliveryError) failures are retried this many times, then the entry fails. */
  maxUnknownAttempts?: number;
}

/** Short enough that a crashed replica's claims free their order keys quickly; renewal covers slow sends. */
const DEFAULT_LEASE_MS = 15_000;

/** What a delivery attempt did; everything {@link sendEntry} reports but `skipped` is a success. */
type Outcome = SendOutcome | 'deferred' | 'retry' | 'failed';
const SUCCESS: ReadonlySet<Outcome> = new Set(['posted', 'updated', 'replied', 'recovered']);

/**
 * The only path to a chat platform. Claims due entries, delivers them, and on failure schedules a
 * retry (exponential backoff, Retry-After honoured) — a crash, a 429 or an outage delays a message
 * but never loses it.
 */
export class DeliveryLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private wakeRequested = false;
  private idle: Promise<void> = Promise.resolve();

  private readonly sendDeps: SendDeps;
  private readonly leaseMs: number;

  constructor(private readonly deps: DeliveryLoopDeps) {
    this.leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
    this.sendDeps = {
      store: deps.store,
      renderIncident: deps.renderIncident,
      renderStorm: deps.renderStorm ?? createStormCardRenderer({ timeZone: 'UTC' }),
      holdsIncidentCard: deps.holdsIncidentCard,
      proposalCards: deps.proposalCards,
      now: () => deps.clock.now(),
    };
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Waits for the round in progress and stops scheduling new ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.idle;
  }

  /** Something was queued: run a round now instead of at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.idle = this.loop();
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      let worked = true;
      while (!this.stopped && (worked || this.wakeRequested)) {
        this.wakeRequested = false;
        worked = (await this.runOnce()) > 0;
      }
    } catch (err) {
      this.deps.logger.error({ err, code: 'OUTBOX_LOOP' }, 'delivery round failed; retrying shortly');
    } finally {
      this.running = false;
    }
    if (!this.stopped) await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    const poll = this.deps.pollMs ?? 1_000;
    let wait = poll;
    try {
      const due = await this.deps.store.outbox.nextDueIn(this.deps.clock.now());
      if (due !== null) wait = Math.min(poll, Math.max(10, due));
    } catch {
      // Store unavailable: poll again later; readiness reports it.
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  /** One round: claim, deliver, record. Returns how many entries were attempted. */
  async runOnce(): Promise<number> {
    const { store, clock } = this.deps;
    const entries = await store.outbox.claimDue(clock.now(), this.deps.batchSize ?? 16, this.leaseMs);
    // Each delivery starts in its own turn of the event loop, so rendering a round of cards never
    // holds up intake for longer than one card. Immediates queued together all run in one check
    // phase, with no I/O between them: so the next delivery is queued only once the one before has
    // run up to its first real wait (for the console, all of it), and the poll phase comes between.
    const deliveries: Promise<Outcome>[] = [];
    for (const e of entries) {
      await setImmediate();
      deliveries.push(this.traced(e));
    }
    await Promise.all(deliveries);
    return entries.length;
  }

  private traced(entry: OutboxEntry): Promise<Outcome> {
    const { tracing } = this.deps;
    if (!tracing) return this.deliver(entry);
    const incidentId = 'incidentId' in entry.payload ? entry.payload.incidentId : null;
    const attributes = {
      'outbox.id': entry.id,
      'outbox.attempt': entry.attempts,
      'chat.surface': entry.surface,
      ...(incidentId !== null ? { 'incident.id': incidentId } : {}),
    };
    const parent = incidentId !== null ? tracing.incidentContext(incidentId) : undefined;
    return tracing.span(
      'outbox.deliver',
      attributes,
      async (span) => {
        const outcome = await this.deliver(entry);
        span.setAttribute('outbox.outcome', outcome);
        return outcome;
      },
      parent,
    );
  }

  private async deliver(entry: OutboxEntry): Promise<Outcome> {
    const { store, clock, metrics } = this.deps;
    const started = clock.now();
    let outcome: Outcome;
    try {
      outcome = await this.sendKeepingLease(entry);
      if (!(await store.outbox.complete(entry, clock.now()))) this.leaseLost(entry);
    } catch (err) {
      outcome = await this.handleFailure(entry, err);
      if (outcome !== 'deferred') this.logFailure(entry, outcome, err);
    }
    metrics.deliveries.inc({ surface: entry.surface, outcome });
    if (SUCCESS.has(outcome)) {
      metrics.deliveryLatency.observe({ surface: entry.surface }, (clock.now() - entry.createdAt) / 1000);
    }
    metrics.deliveryDuration.observe({ surface: entry.surface }, (clock.now() - started) / 1000);
    return outcome;
  }

  /** Sends the entry, renewing its lease meanwhile; a failed renewal is retried at the next tick. */
  private async sendKeepingLease(entry: OutboxEntry): Promise<SendOutcome> {
    const { store, clock, logger } = this.deps;
    const timer = setInterval(
      () => {
        store.outbox.renew(entry, clock.now() + this.leaseMs).catch((err: unknown) => {
          logger.warn(
            { err, code: 'OUTBOX_RENEW_FAILED', outboxId: entry.id },
            'could not renew a delivery lease',
          );
        });
      },
      this.deps.renewEveryMs ?? Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    try {
      return await sendEntry(this.sendDeps, this.surface(entry.surface), entry);
    } finally {
      clearInterval(timer);
    }
  }

  private logFailure(entry: OutboxEntry, outcome: Outcome, err: unknown): void {
    this.deps.logger[outcome === 'failed' ? 'error' : 'warn'](
      {
        err,
        code: err instanceof DeliveryError ? err.code : 'DELIVERY_FAILED',
        outboxId: entry.id,
        surface: entry.surface,
        attempts: entry.attempts,
      },
      outcome === 'failed' ? 'delivery failed for good' : 'delivery failed; will retry',
    );
  }

  private async handleFailure(entry: OutboxEntry, err: unknown): Promise<Outcome> {
    const { store, clock, metrics } = this.deps;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof DeliveryDeferred) {
      if (!(await store.outbox.retryLater(entry, clock.now() + (err.retryAfterMs ?? 0), message))) {
        this.leaseLost(entry);
      }
      return 'deferred';
    }
    const retryable =
      err instanceof DeliveryError ? err.retryable : entry.attempts < (this.deps.maxUnknownAttempts ?? 8);
    if (!retryable) {
      if (!(await store.outbox.fail(entry, clock.now(), message))) this.leaseLost(entry);
      return 'failed';
    }
    const retryAfter = err instanceof DeliveryError ? err.retryAfterMs : undefined;
    const delay = nextDelayMs(entry.attempts, retryAfter, this.deps.backoff ?? DEFAULT_BACKOFF);
    if (!(await store.outbox.retryLater(entry, clock.now() + delay, message))) this.leaseLost(entry);
    metrics.deliveryRetries.inc({ surface: entry.surface });
    return 'retry';
  }

  /**
   * This worker took longer than its lease and another worker claimed the entry meanwhile; that
   * claim decides the entry's fate. The message may have been sent twice (lease too short for the
   * platform's latency): say so loudly, since it is a configuration problem.
   */
  private leaseLost(entry: OutboxEntry): void {
    this.deps.metrics.deliveryLeaseLost.inc({ surface: entry.surface });
    this.deps.logger.warn(
      { code: 'OUTBOX_LEASE_LOST', outboxId: entry.id, surface: entry.surface, attempts: entry.attempts },
      'delivery outlived its lease; another worker owns the entry now',
    );
  }

  private surface(id: SurfaceId): ChatSurface {
    const s = this.deps.surfaces.get(id);
    if (!s) throw new DeliveryError('SURFACE_NOT_CONFIGURED', `no chat surface "${id}" is configured`, false);
    return s;
  }
}
