import { owning, shared } from '../owned.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../sqlite/database.ts';
import type { PagingRepo, PagingTimer, TimerKind } from './paging-repo.ts';
import { type EventRow, FLAG_COLUMNS, type IncidentRow, toEvent, toTracked } from './paging-rows.ts';

/**
 * Opens the paging tables in a SQLite file (the bot's own `bot.db` works: the tables are separate)
 * or `:memory:`. Its own connection; each method is one immediate transaction, so a claim by one
 * process is invisible to the others until its lease runs out. A busy database is retried.
 */
export function createSqlitePagingRepo(database: SqliteDatabase): PagingRepo {
  const db = database.connection;

  const q = {
    insertIncident: db.prepare(
      'INSERT OR IGNORE INTO paging_incidents (incident_id, tier, opened_at) VALUES (?, ?, ?)',
    ),
    setTier: db.prepare('UPDATE paging_incidents SET tier = ? WHERE incident_id = ?'),
    getIncident: db.prepare('SELECT * FROM paging_incidents WHERE incident_id = ?'),
    listActive: db.prepare('SELECT * FROM paging_incidents WHERE active = 1 ORDER BY incident_id LIMIT ?'),
    finish: db.prepare('UPDATE paging_incidents SET active = 0 WHERE incident_id = ?'),
    reopen: db.prepare(
      `UPDATE paging_incidents SET active = 1, triggered = 0, escalated = 0, acked = 0, resolved = 0,
       generation = generation + 1 WHERE incident_id = ? AND generation = ? AND resolved = 1`,
    ),
    dropTimers: db.prepare('DELETE FROM paging_timers WHERE incident_id = ?'),
    insertEvent: db.prepare(
      `INSERT INTO paging_events (incident_id, action, body, next_attempt_at, created_at)
       VALUES (@incidentId, @action, @body, @now, @now)`,
    ),
    dueEvents: db.prepare(
      `SELECT e.* FROM paging_events e
       WHERE e.status = 'pending'
         AND e.id = (SELECT MIN(id) FROM paging_events o WHERE o.incident_id = e.incident_id AND o.status = 'pending')
         AND e.next_attempt_at <= @now AND (e.lease_until IS NULL OR e.lease_until <= @now)
       ORDER BY e.id LIMIT @limit`,
    ),
    leaseEvent: db.prepare('UPDATE paging_events SET lease_until = ?, attempts = attempts + 1 WHERE id = ?'),
    completeEvent: db.prepare(
      "UPDATE paging_events SET status = 'sent', sent_at = ?, lease_until = NULL WHERE id = ?",
    ),
    retryEvent: db.prepare(
      'UPDATE paging_events SET next_attempt_at = ?, last_error = ?, lease_until = NULL WHERE id = ?',
    ),
    failEvent: db.prepare(
      "UPDATE paging_events SET status = 'failed', sent_at = ?, last_error = ?, lease_until = NULL WHERE id = ?",
    ),
    allEvents: db.prepare('SELECT * FROM paging_events ORDER BY id'),
    eventsOf: db.prepare('SELECT * FROM paging_events WHERE incident_id = ? ORDER BY id'),
    insertTimer: db.prepare(
      'INSERT OR IGNORE INTO paging_timers (incident_id, kind, due_at) VALUES (?, ?, ?)',
    ),
    cancelTimers: db.prepare(
      "UPDATE paging_timers SET status = 'cancelled', lease_until = NULL WHERE incident_id = ? AND status IN ('pending', 'claimed')",
    ),
    dueTimers: db.prepare(
      `SELECT incident_id, kind, due_at FROM paging_timers
       WHERE due_at <= @now AND (status = 'pending' OR (status = 'claimed' AND lease_until <= @now))
       ORDER BY due_at LIMIT @limit`,
    ),
    leaseTimer: db.prepare(
      "UPDATE paging_timers SET status = 'claimed', lease_until = ? WHERE incident_id = ? AND kind = ?",
    ),
    finishTimer: db.prepare(
      "UPDATE paging_timers SET status = ?, lease_until = NULL WHERE incident_id = ? AND kind = ? AND status = 'claimed'",
    ),
    getSetting: db.prepare('SELECT value FROM paging_settings WHERE key = ?'),
    maxSetting: db.prepare(
      'INSERT INTO paging_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)',
    ),
    getDigest: db.prepare('SELECT status, lease_until FROM paging_digests WHERE day = ?'),
    claimDigest: db.prepare(
      `INSERT INTO paging_digests (day, status, lease_until) VALUES (@day, 'claimed', @until)
       ON CONFLICT (day) DO UPDATE SET lease_until = @until`,
    ),
    undigested: db.prepare(
      `SELECT * FROM paging_incidents WHERE tier = 'P3' AND digested = 0 AND opened_at >= ? AND opened_at < ?
       ORDER BY opened_at, incident_id`,
    ),
    markDigested: db.prepare('UPDATE paging_incidents SET digested = 1 WHERE incident_id = ?'),
    completeDigest: db.prepare(
      `UPDATE paging_digests SET status = 'done', done_at = @now, incidents = @ids, lease_until = NULL,
       email_status = CASE WHEN @email IS NULL THEN 'none' ELSE 'pending' END, email_body = @email, email_next_at = @now
       WHERE day = @day`,
    ),
    dueEmails: db.prepare(
      `SELECT day, email_body, email_attempts FROM paging_digests
       WHERE email_status = 'pending' AND email_next_at <= @now AND (email_lease IS NULL OR email_lease <= @now)
       ORDER BY day LIMIT 10`,
    ),
    leaseEmail: db.prepare(
      'UPDATE paging_digests SET email_lease = ?, email_attempts = email_attempts + 1 WHERE day = ?',
    ),
    emailSent: db.prepare(
      "UPDATE paging_digests SET email_status = 'sent', email_lease = NULL, email_error = NULL WHERE day = ?",
    ),
    emailRetry: db.prepare(
      'UPDATE paging_digests SET email_next_at = ?, email_error = ?, email_lease = NULL WHERE day = ?',
    ),
    emailFailed: db.prepare(
      "UPDATE paging_digests SET email_status = 'failed', email_error = ?, email_lease = NULL WHERE day = ?",
    ),
  };

  /** One atomic unit; retried while another connection holds the write lock. */
  const { atomically } = database;

  return {
    track: async (i) => {
      // Most ticks find nothing new: answer those without taking the write lock.
      const known = q.getIncident.get(i.incidentId) as IncidentRow | undefined;
      if (known?.tier === i.tier) return toTracked(known);
      return atomically(() => {
        q.insertIncident.run(i.incidentId, i.tier, i.openedAt);
        q.setTier.run(i.tier, i.incidentId);
        return toTracked(q.getIncident.get(i.incidentId) as IncidentRow);
      });
    },
    listActive: (limit) => atomically(() => (q.listActive.all(limit) as IncidentRow[]).map(toTracked)),
    finish: (id) => atomically(() => void q.finish.run(id)),
    reopen: (id, generation) =>
      atomically(() => {
        if (q.reopen.run(id, generation).changes !== 1) return false;
        q.dropTimers.run(id);
        return true;
      }),
    setOnce: (incidentId, generation, flag, effects, now) =>
      atomically(() => {
        const col = FLAG_COLUMNS[flag];
        const changed = db
          .prepare(
            `UPDATE paging_incidents SET ${col} = 1 WHERE incident_id = ? AND generation = ? AND ${col} = 0`,
          )
          .run(incidentId, generation).changes;
        if (changed !== 1) return false;
        if (effects.event) q.insertEvent.run({ ...effects.event, now });
        if (effects.timer) q.insertTimer.run(incidentId, effects.timer.kind, effects.timer.dueAt);
        return true;
      }),
    claimEvents: (now, limit, leaseMs) =>
      atomically(() => {
        const rows = q.dueEvents.all({ now, limit }) as EventRow[];
        for (const r of rows) q.leaseEvent.run(now + leaseMs, r.id);
        return rows.map((r) => toEvent({ ...r, attempts: r.attempts + 1 }));
      }),
    completeEvent: (id, now) => atomically(() => void q.completeEvent.run(now, id)),
    retryEvent: (id, at, error) => atomically(() => void q.retryEvent.run(at, error, id)),
    failEvent: (id, now, error) => atomically(() => void q.failEvent.run(now, error, id)),
    listEvents: (incidentId) =>
      atomically(() =>
        ((incidentId === undefined ? q.allEvents.all() : q.eventsOf.all(incidentId)) as EventRow[]).map(
          toEvent,
        ),
      ),
    schedule: (t) => atomically(() => void q.insertTimer.run(t.incidentId, t.kind, t.dueAt)),
    cancelTimers: (id) => atomically(() => void q.cancelTimers.run(id)),
    claimTimers: (now, limit, leaseMs) =>
      atomically(() => {
        const rows = q.dueTimers.all({ now, limit }) as {
          incident_id: number;
          kind: string;
          due_at: number;
        }[];
        for (const r of rows) q.leaseTimer.run(now + leaseMs, r.incident_id, r.kind);
        return rows.map((r) => ({ incidentId: r.incident_id, kind: r.kind as TimerKind, dueAt: r.due_at }));
      }),
    finishTimer: (t: PagingTimer, outcome) =>
      atomically(() => void q.finishTimer.run(outcome, t.incidentId, t.kind)),
    cursor: () => atomically(() => (q.getSetting.get('cursor') as { value: number } | undefined)?.value ?? 0),
    advanceCursor: (id) => atomically(() => void q.maxSetting.run('cursor', id)),
    claimDigest: (day, now, leaseMs) =>
      atomically(() => {
        const row = q.getDigest.get(day) as { status: string; lease_until: number | null } | undefined;
        if (row && (row.status === 'done' || (row.lease_until ?? 0) > now)) return false;
        q.claimDigest.run({ day, until: now + leaseMs });
        return true;
      }),
    listUndigested: (from, before) =>
      atomically(() => (q.undigested.all(from, before) as IncidentRow[]).map(toTracked)),
    completeDigest: (day, ids, now, email) =>
      atomically(() => {
        for (const id of ids) q.markDigested.run(id);
        q.completeDigest.run({ now, ids: JSON.stringify(ids), email: email ?? null, day });
      }),
    claimDigestEmails: (now, leaseMs) =>
      atomically(() => {
        const rows = q.dueEmails.all({ now }) as {
          day: string;
          email_body: string;
          email_attempts: number;
        }[];
        for (const r of rows) q.leaseEmail.run(now + leaseMs, r.day);
        return rows.map((r) => ({ day: r.day, body: r.email_body, attempts: r.email_attempts + 1 }));
      }),
    finishDigestEmail: (day, outcome) =>
      atomically(() => {
        if ('sent' in outcome) q.emailSent.run(day);
        else if ('retryAt' in outcome) q.emailRetry.run(outcome.retryAt, outcome.error, day);
        else q.emailFailed.run(outcome.failed, day);
      }),
    close: shared,
  };
}

/** The same on a SQLite file (or `:memory:`) of its own, migrated like the store's; for tests and tools. */
export function openSqlitePagingRepo(path: string): PagingRepo {
  const database = openSqliteDatabase({ path });
  return owning(createSqlitePagingRepo(database), database);
}
