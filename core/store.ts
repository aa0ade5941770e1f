import type { Alert } from './alerts/alert.ts';
import type { Incident } from './alerts/incident.ts';
import type { Silence } from './alerts/silence.ts';
import type { Storm, StormIncident } from './alerts/storm.ts';
import type { NewTimelineEvent, TimelineEvent } from './alerts/timeline.ts';
import type { MessageRef, NewOutboxEntry, OutboxEntry, SurfaceId } from './outbox/outbox-entry.ts';

/** An alert as stored: the normalised alert plus what the bot learned about it over time. */
export interface StoredAlert {
  alert: Alert;
  incidentId: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  /** When the bot last saw it resolve (null while it has never resolved). */
  resolvedAt: number | null;
  /** Times it fired again after resolving. */
  refireCount: number;
  receiveCount: number;
}

/** What intake needs of a stored alert without parsing it: its columns and its stored text. */
export interface AlertState extends Omit<StoredAlert, 'alert'> {
  status: Alert['status'];
  /** The alert as stored (JSON); identical text means an identical re-delivery. */
  body: string;
}

export interface AlertRepo {
  get(source: Alert['source'], fingerprint: string): Promise<StoredAlert | undefined>;
  /** The hot-path read of intake: columns and stored text, no parsing. */
  getState(source: Alert['source'], fingerprint: string): Promise<AlertState | undefined>;
  /** An identical re-delivery: count it and move last-seen, nothing else. */
  touch(source: Alert['source'], fingerprint: string, now: number): Promise<void>;
  /** How many of an incident's alerts fire and how many have resolved. */
  countByStatus(incidentId: number): Promise<{ firing: number; resolved: number }>;
  put(stored: StoredAlert): Promise<void>;
  listByIncident(incidentId: number): Promise<StoredAlert[]>;
  count(): Promise<number>;
}

export type NewIncident = Omit<Incident, 'id'>;

export interface IncidentRepo {
  create(incident: NewIncident): Promise<Incident>;
  get(id: number): Promise<Incident | undefined>;
  /** The open incident of a group, or the most recently resolved one (for flap detection). */
  latestForGroup(groupKey: string): Promise<Incident | undefined>;
  update(incident: Incident): Promise<void>;
  listOpen(limit: number): Promise<Incident[]>;
  /** Open incidents silenced until before `now`. */
  listSilenceExpired(now: number): Promise<Incident[]>;
  /** Incidents (open or resolved) opened at or after `since`, newest first: MTTA and MTTR of the views. */
  listOpenedSince(since: number, limit: number): Promise<Incident[]>;
  /** How many incidents opened at or after `since` (storm detection; indexed). */
  countOpenedSince(since: number): Promise<number>;
  /**
   * Records a timeline event whose actor has no display name (the bot, a module); the same table
   * as {@link TimelineRepo.record}.
   */
  addEvent(event: {
    incidentId: number;
    at: number;
    type: string;
    actor: string | null;
    detail: string;
  }): Promise<void>;
}

/** An incident's timeline (`timeline_events`): written in the transaction of the change it records. */
export interface TimelineRepo {
  /** Records one event; fails for an incident that does not exist. */
  record(event: NewTimelineEvent): Promise<void>;
  /** The latest `limit` events of an incident, oldest first, and how many it has in all. */
  list(incidentId: number, limit: number): Promise<{ events: TimelineEvent[]; total: number }>;
  /** Every event of the given types of these incidents, oldest first (MTTA and MTTR). */
  listOfTypes(incidentIds: readonly number[], types: readonly string[]): Promise<TimelineEvent[]>;
}

/** Alert storms. At most one is active (not ended) at a time, across every replica. */
export interface StormRepo {
  /** The active storm, if any. */
  current(): Promise<Storm | undefined>;
  /** Starts a storm; fails (unique index) if one is already active. */
  open(now: number): Promise<Storm>;
  get(id: number): Promise<Storm | undefined>;
  /** Folds an incident into a storm and moves the storm's last-incident time to `now`. */
  fold(stormId: number, incidentId: number, now: number): Promise<void>;
  /** Takes an incident out of its storm (it became urgent enough for a card of its own). */
  release(incidentId: number): Promise<void>;
  end(id: number, now: number): Promise<void>;
  /** The storm's incidents, newest first. */
  listIncidents(stormId: number): Promise<StormIncident[]>;
  /** The posted storm card on one surface. */
  getMessage(stormId: number, surface: SurfaceId): Promise<MessageRef | undefined>;
  saveMessage(stormId: number, ref: MessageRef, now: number): Promise<void>;
}

export type NewSilence = Omit<Silence, 'id' | 'expiredAt'>;

export interface SilenceRepo {
  create(silence: NewSilence): Promise<Silence>;
  get(id: number): Promise<Silence | undefined>;
  /** Silences whose end lies after `now` and that were not expired by hand. */
  listActive(now: number): Promise<Silence[]>;
  expire(id: number, at: number): Promise<void>;
  /** Moves the end of a silence that is still in force; false when it ended or was expired. */
  extend(id: number, endsAt: number, now: number): Promise<boolean>;
}

/** A claimed entry as its worker knows it: the attempt number fences out stale workers. */
export type OutboxClaim = Pick<OutboxEntry, 'id' | 'attempts'>;

export interface OutboxRepo {
  /** Adds an entry, or returns the id of the pending entry that absorbs it (same coalesce key). */
  enqueue(entry: NewOutboxEntry, now: number): Promise<number>;
  /**
   * Leases due entries: for each order key only its oldest pending entry, and only if due and not
   * leased by another worker. Leased entries are invisible to other workers until `leaseUntil`.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /*
   * The outcome of a claim is recorded only while that claim still holds (the entry is pending and
   * its attempt count is the claim's): a worker whose lease ran out and was taken over by another
   * cannot finish or reschedule the entry under the newer claim. Each returns false then.
   */
  complete(claim: OutboxClaim, now: number): Promise<boolean>;
  retryLater(claim: OutboxClaim, nextAttemptAt: number, error: string): Promise<boolean>;
  /** Gives up on an entry (not retryable); it stays for inspection with its error. */
  fail(claim: OutboxClaim, now: number, error: string): Promise<boolean>;
  /** Keeps a claim that is still being delivered invisible to other workers until `leaseUntil`. */
  renew(claim: OutboxClaim, leaseUntil: number): Promise<boolean>;
  pendingCount(): Promise<number>;
  /** Milliseconds until the earliest pending entry is due (0 if one is due now), or null. */
  nextDueIn(now: number): Promise<number | null>;
}

export interface ChatMessageRepo {
  /** The posted card of an incident on one surface. */
  getIncidentCard(incidentId: number, surface: SurfaceId): Promise<MessageRef | undefined>;
  saveIncidentCard(incidentId: number, ref: MessageRef, now: number): Promise<void>;
  /** Which incident a posted card belongs to (button presses and thread replies). */
  findIncidentByMessage(surface: SurfaceId, messageId: string): Promise<number | undefined>;
}

/**
 * Where a chat platform lets the bot post on its own (a Teams conversation reference), by surface
 * and place key, plus which place is the surface's on-call channel. Shared by every replica. The
 * reference is a JSON value the store does not interpret: callers parse it with their schema.
 */
export interface ConversationRepo {
  get(surface: SurfaceId, key: string): Promise<unknown | undefined>;
  /** Stores a reference; true when it is new or differs from the stored one. */
  save(surface: SurfaceId, key: string, ref: unknown, now: number): Promise<boolean>;
  getOncall(surface: SurfaceId): Promise<string | undefined>;
  /**
   * Makes `key` the surface's on-call channel and returns the one in effect afterwards. With
   * `keepExisting`, an on-call channel already recorded (perhaps by another replica a moment ago)
   * stays, so the first one wins.
   */
  setOncall(surface: SurfaceId, key: string, options?: { keepExisting?: boolean }): Promise<string>;
}

/** The local console is a chat platform of its own; this is its message history. */
export interface ConsoleMessage {
  id: string;
  channel: string;
  threadId: string | null;
  author: string;
  createdAt: number;
  updatedAt: number;
  text: string;
  card: unknown | null;
}

export interface ConsoleMessageRepo {
  insert(msg: ConsoleMessage): Promise<void>;
  update(id: string, patch: { text: string; card: unknown | null; updatedAt: number }): Promise<boolean>;
  get(id: string): Promise<ConsoleMessage | undefined>;
  /** Most recent `limit` messages of a channel, oldest first. */
  list(channel: string, limit: number): Promise<ConsoleMessage[]>;
}

export interface Repos {
  alerts: AlertRepo;
  incidents: IncidentRepo;
  timeline: TimelineRepo;
  silences: SilenceRepo;
  storms: StormRepo;
  outbox: OutboxRepo;
  chatMessages: ChatMessageRepo;
  consoleMessages: ConsoleMessageRepo;
  conversations: ConversationRepo;
}

/**
 * The bot's durable state. Every method of the repos commits on its own; `transaction` groups
 * several into one atomic unit. Implementations: SQLite (embedded default) and PostgreSQL.
 *
 * A transaction callback must only await the repos it is given — never network or timers — so
 * that it holds the database for as short a time as possible. It may run more than once:
 * PostgreSQL re-runs it after a conflict with another replica, so it must have no effects other
 * than through `tx`.
 */
export interface Store extends Repos {
  readonly engine: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /** Cheap round trip: the database answers. */
  ping(): Promise<void>;
  /**
   * Commits one heartbeat row (`at` from the injected clock) in a transaction of its own: proves
   * the store can still commit, which a read-only database or a full disk break while reads work.
   */
  probeCommit(at: number): Promise<void>;
  close(): Promise<void>;
}
