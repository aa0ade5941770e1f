import type { IncidentTier } from '../../core/alerts/incident.ts';

/** A PagerDuty event action, in the order an incident goes through them. */
export type PagingAction = 'trigger' | 'acknowledge' | 'resolve';

/**
 * What the paging module has done for one incident. Each flag flips from false to true once, in
 * the same atomic step that queues its event, so two replicas never both queue it.
 */
export type PagingFlag = 'triggered' | 'escalated' | 'acked' | 'resolved';

export interface TrackedIncident {
  incidentId: number;
  tier: IncidentTier;
  openedAt: number;
  flags: Record<PagingFlag, boolean>;
  digested: boolean;
  /** Bumped each time a resolved incident re-opens (flapping); its paging starts over. */
  generation: number;
}

/** A PagerDuty event waiting to go out (outbox-style: leased, retried, never retried after a 400). */
export interface PagingEvent {
  id: number;
  incidentId: number;
  action: PagingAction;
  /** The JSON body, built when queued so a restart sends exactly what was decided. */
  body: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export type NewPagingEvent = Pick<PagingEvent, 'incidentId' | 'action' | 'body'>;

/** A digest email waiting to go out. */
export interface DigestEmail {
  day: string;
  /** JSON of the rendered mail, built when the digest was made. */
  body: string;
  attempts: number;
}

export type TimerKind = 'escalate' | 'remind';

export interface PagingTimer {
  incidentId: number;
  kind: TimerKind;
  dueAt: number;
}

/**
 * The paging module's durable state: tracked incidents, queued PagerDuty events, escalation and
 * reminder timers, daily digests. Every method is one atomic unit; claims lease rows so that of
 * several replicas sharing the database exactly one does each piece of work.
 */
export interface PagingRepo {
  /** Starts tracking an incident (no-op if tracked) and records its current tier. */
  track(incident: { incidentId: number; tier: IncidentTier; openedAt: number }): Promise<TrackedIncident>;
  /** Tracked incidents not yet finished (not resolved), oldest first. */
  listActive(limit: number): Promise<TrackedIncident[]>;
  /** Stops re-checking an incident (it resolved). */
  finish(incidentId: number): Promise<void>;
  /**
   * A resolved incident opened again: clears its flags and timers and bumps the generation, so it
   * is paged anew (PagerDuty opens a new incident for a trigger after a resolve). Once per re-open.
   */
  reopen(incidentId: number, generation: number): Promise<boolean>;
  /**
   * Sets a flag if it is not yet set and, in the same step, queues the event and schedules the
   * timer. Returns false (and does nothing) when the flag was already set or the incident's
   * generation moved on since the caller looked (its view is stale).
   */
  setOnce(
    incidentId: number,
    generation: number,
    flag: PagingFlag,
    effects: { event?: NewPagingEvent; timer?: Omit<PagingTimer, 'incidentId'> },
    now: number,
  ): Promise<boolean>;

  /** For each incident its oldest pending event, if due and not leased; leases them. */
  claimEvents(now: number, limit: number, leaseMs: number): Promise<PagingEvent[]>;
  completeEvent(id: number, now: number): Promise<void>;
  retryEvent(id: number, nextAttemptAt: number, error: string): Promise<void>;
  failEvent(id: number, now: number, error: string): Promise<void>;
  listEvents(incidentId?: number): Promise<PagingEvent[]>;

  /** Adds a timer unless one of that kind exists for the incident (fired or not). */
  schedule(timer: PagingTimer): Promise<void>;
  /** Cancels the incident's timers that have not fired. */
  cancelTimers(incidentId: number): Promise<void>;
  /** Due timers (and ones whose claimer died), leased to the caller. */
  claimTimers(now: number, limit: number, leaseMs: number): Promise<PagingTimer[]>;
  finishTimer(timer: PagingTimer, outcome: 'fired' | 'cancelled'): Promise<void>;

  /** Highest incident id already looked at, so new ones are found even if they resolved quickly. */
  cursor(): Promise<number>;
  advanceCursor(incidentId: number): Promise<void>;

  /** Claims the digest of a day (`YYYY-MM-DD`) unless it was done or is leased. */
  claimDigest(day: string, now: number, leaseMs: number): Promise<boolean>;
  /** P3 incidents not yet in a digest, opened in [from, before). */
  listUndigested(from: number, before: number): Promise<TrackedIncident[]>;
  /** Marks the day done and its incidents digested; `email` (JSON) queues the digest by email. */
  completeDigest(day: string, incidentIds: readonly number[], now: number, email?: string): Promise<void>;
  /** Digests whose email is due and not leased; leases them. */
  claimDigestEmails(now: number, leaseMs: number): Promise<DigestEmail[]>;
  finishDigestEmail(
    day: string,
    outcome: { sent: true } | { retryAt: number; error: string } | { failed: string },
  ): Promise<void>;

  close(): Promise<void>;
}
