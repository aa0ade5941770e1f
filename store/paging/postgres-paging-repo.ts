import type pg from 'pg';
import { owning, shared } from '../owned.ts';
import type { Db } from '../postgres/db.ts';
import { openMigratedPool, type PostgresOptions, serializable } from '../postgres/pool.ts';
import type { PagingRepo, TimerKind } from './paging-repo.ts';
import { type EventRow, FLAG_COLUMNS, type IncidentRow, toEvent, toTracked } from './paging-rows.ts';

// Only the oldest pending event of an incident is deliverable: PagerDuty must see trigger before
// acknowledge before resolve. The claim leases what it returns in the same statement.
const CLAIM_EVENTS = `
  UPDATE paging_events SET lease_until = $3, attempts = attempts + 1
  WHERE id IN (
    SELECT e.id FROM paging_events e
    WHERE e.status = 'pending'
      AND e.id = (SELECT min(o.id) FROM paging_events o WHERE o.incident_id = e.incident_id AND o.status = 'pending')
      AND e.next_attempt_at <= $1 AND (e.lease_until IS NULL OR e.lease_until <= $1)
    ORDER BY e.id LIMIT $2)
  RETURNING *`;

const CLAIM_TIMERS = `
  UPDATE paging_timers SET status = 'claimed', lease_until = $3
  WHERE (incident_id, kind) IN (
    SELECT incident_id, kind FROM paging_timers
    WHERE due_at <= $1 AND (status = 'pending' OR (status = 'claimed' AND lease_until <= $1))
    ORDER BY due_at LIMIT $2)
  RETURNING incident_id, kind, due_at`;

const CLAIM_EMAILS = `
  UPDATE paging_digests SET email_lease = $2, email_attempts = email_attempts + 1
  WHERE day IN (
    SELECT day FROM paging_digests
    WHERE email_status = 'pending' AND email_next_at <= $1 AND (email_lease IS NULL OR email_lease <= $1)
    ORDER BY day LIMIT 10)
  RETURNING day, email_body, email_attempts`;

const byId = <T extends { id: number }>(rows: T[]) => rows.sort((a, b) => a.id - b.id);

/**
 * The paging tables on PostgreSQL, shared by every replica. Each method is one SERIALIZABLE
 * transaction (re-run on conflict), so two replicas racing for the same flag, event, timer or
 * digest behave exactly as two connections to one SQLite file do: one of them gets it.
 */
export function createPostgresPagingRepo(pool: pg.Pool): PagingRepo {
  const atomically = <T>(fn: (db: Db) => Promise<T>) => serializable(pool, fn);
  const getIncident = async (db: Db, id: number) =>
    (await db.query<IncidentRow>('SELECT * FROM paging_incidents WHERE incident_id = $1', [id]))[0];

  return {
    track: async (i) => {
      // Most ticks find nothing new: answer those with one read.
      const known = await atomically((db) => getIncident(db, i.incidentId));
      if (known?.tier === i.tier) return toTracked(known);
      return atomically(async (db) => {
        await db.query(
          `INSERT INTO paging_incidents (incident_id, tier, opened_at) VALUES ($1, $2, $3)
           ON CONFLICT (incident_id) DO UPDATE SET tier = excluded.tier`,
          [i.incidentId, i.tier, i.openedAt],
        );
        return toTracked((await getIncident(db, i.incidentId))!);
      });
    },
    listActive: (limit) =>
      atomically(async (db) =>
        (
          await db.query<IncidentRow>(
            'SELECT * FROM paging_incidents WHERE active ORDER BY incident_id LIMIT $1',
            [limit],
          )
        ).map(toTracked),
      ),
    finish: (id) =>
      atomically(async (db) => {
        await db.query('UPDATE paging_incidents SET active = false WHERE incident_id = $1', [id]);
      }),
    reopen: (id, generation) =>
      atomically(async (db) => {
        const reopened = await db.query(
          `UPDATE paging_incidents SET active = true, triggered = false, escalated = false, acked = false,
           resolved = false, generation = generation + 1
           WHERE incident_id = $1 AND generation = $2 AND resolved RETURNING incident_id`,
          [id, generation],
        );
        if (reopened.length !== 1) return false;
        await db.query('DELETE FROM paging_timers WHERE incident_id = $1', [id]);
        return true;
      }),
    setOnce: (incidentId, generation, flag, effects, now) =>
      atomically(async (db) => {
        const col = FLAG_COLUMNS[flag];
        const changed = await db.query(
          `UPDATE paging_incidents SET ${col} = true
           WHERE incident_id = $1 AND generation = $2 AND NOT ${col} RETURNING incident_id`,
          [incidentId, generation],
        );
        if (changed.length !== 1) return false;
        if (effects.event) {
          await db.query(
            `INSERT INTO paging_events (incident_id, action, body, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $4)`,
            [effects.event.incidentId, effects.event.action, effects.event.body, now],
          );
        }
        if (effects.timer) {
          await db.query(
            'INSERT INTO paging_timers (incident_id, kind, due_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [incidentId, effects.timer.kind, effects.timer.dueAt],
          );
        }
        return true;
      }),
    claimEvents: (now, limit, leaseMs) =>
      atomically(async (db) =>
        byId(await db.query<EventRow>(CLAIM_EVENTS, [now, limit, now + leaseMs])).map(toEvent),
      ),
    completeEvent: (id, now) =>
      atomically(async (db) => {
        await db.query(
          "UPDATE paging_events SET status = 'sent', sent_at = $1, lease_until = NULL WHERE id = $2",
          [now, id],
        );
      }),
    retryEvent: (id, at, error) =>
      atomically(async (db) => {
        await db.query(
          'UPDATE paging_events SET next_attempt_at = $1, last_error = $2, lease_until = NULL WHERE id = $3',
          [at, error, id],
        );
      }),
    failEvent: (id, now, error) =>
      atomically(async (db) => {
        await db.query(
          "UPDATE paging_events SET status = 'failed', sent_at = $1, last_error = $2, lease_until = NULL WHERE id = $3",
          [now, error, id],
        );
      }),
    listEvents: (incidentId) =>
      atomically(async (db) =>
        (incidentId === undefined
          ? await db.query<EventRow>('SELECT * FROM paging_events ORDER BY id')
          : await db.query<EventRow>('SELECT * FROM paging_events WHERE incident_id = $1 ORDER BY id', [
              incidentId,
            ])
        ).map(toEvent),
      ),
    schedule: (t) =>
      atomically(async (db) => {
        await db.query(
          'INSERT INTO paging_timers (incident_id, kind, due_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [t.incidentId, t.kind, t.dueAt],
        );
      }),
    cancelTimers: (id) =>
      atomically(async (db) => {
        await db.query(
          "UPDATE paging_timers SET status = 'cancelled', lease_until = NULL WHERE incident_id = $1 AND status IN ('pending', 'claimed')",
          [id],
        );
      }),
    claimTimers: (now, limit, leaseMs) =>
      atomically(async (db) => {
        const rows = await db.query<{ incident_id: number; kind: string; due_at: number }>(CLAIM_TIMERS, [
          now,
          limit,
          now + leaseMs,
        ]);
        return rows
          .sort((a, b) => a.due_at - b.due_at)
          .map((r) => ({ incidentId: r.incident_id, kind: r.kind as TimerKind, dueAt: r.due_at }));
      }),
    finishTimer: (t, outcome) =>
      atomically(async (db) => {
        await db.query(
          "UPDATE paging_timers SET status = $1, lease_until = NULL WHERE incident_id = $2 AND kind = $3 AND status = 'claimed'",
          [outcome, t.incidentId, t.kind],
        );
      }),
    cursor: () =>
      atomically(async (db) => {
        const [row] = await db.query<{ value: number }>(
          "SELECT value FROM paging_settings WHERE key = 'cursor'",
        );
        return row?.value ?? 0;
      }),
    advanceCursor: (id) =>
      atomically(async (db) => {
        await db.query(
          `INSERT INTO paging_settings (key, value) VALUES ('cursor', $1)
           ON CONFLICT (key) DO UPDATE SET value = greatest(paging_settings.value, excluded.value)`,
          [id],
        );
      }),
    claimDigest: (day, now, leaseMs) =>
      atomically(async (db) => {
        const [row] = await db.query<{ status: string; lease_until: number | null }>(
          'SELECT status, lease_until FROM paging_digests WHERE day = $1',
          [day],
        );
        if (row && (row.status === 'done' || (row.lease_until ?? 0) > now)) return false;
        await db.query(
          `INSERT INTO paging_digests (day, status, lease_until) VALUES ($1, 'claimed', $2)
           ON CONFLICT (day) DO UPDATE SET lease_until = excluded.lease_until`,
          [day, now + leaseMs],
        );
        return true;
      }),
    listUndigested: (from, before) =>
      atomically(async (db) =>
        (
          await db.query<IncidentRow>(
            `SELECT * FROM paging_incidents WHERE tier = 'P3' AND NOT digested AND opened_at >= $1 AND opened_at < $2
             ORDER BY opened_at, incident_id`,
            [from, before],
          )
        ).map(toTracked),
      ),
    completeDigest: (day, ids, now, email) =>
      atomically(async (db) => {
        await db.query('UPDATE paging_incidents SET digested = true WHERE incident_id = ANY($1::bigint[])', [
          [...ids],
        ]);
        await db.query(
          `UPDATE paging_digests SET status = 'done', done_at = $1, incidents = $2, lease_until = NULL,
           email_status = CASE WHEN $3::text IS NULL THEN 'none' ELSE 'pending' END, email_body = $3, email_next_at = $1
           WHERE day = $4`,
          [now, JSON.stringify(ids), email ?? null, day],
        );
      }),
    claimDigestEmails: (now, leaseMs) =>
      atomically(async (db) => {
        const rows = await db.query<{ day: string; email_body: string; email_attempts: number }>(
          CLAIM_EMAILS,
          [now, now + leaseMs],
        );
        return rows
          .sort((a, b) => a.day.localeCompare(b.day))
          .map((r) => ({ day: r.day, body: r.email_body, attempts: r.email_attempts }));
      }),
    finishDigestEmail: (day, outcome) =>
      atomically(async (db) => {
        if ('sent' in outcome) {
          await db.query(
            "UPDATE paging_digests SET email_status = 'sent', email_lease = NULL, email_error = NULL WHERE day = $1",
            [day],
          );
        } else if ('retryAt' in outcome) {
          await db.query(
            'UPDATE paging_digests SET email_next_at = $1, email_error = $2, email_lease = NULL WHERE day = $3',
            [outcome.retryAt, outcome.error, day],
          );
        } else {
          await db.query(
            "UPDATE paging_digests SET email_status = 'failed', email_error = $1, email_lease = NULL WHERE day = $2",
            [outcome.failed, day],
          );
        }
      }),
    close: shared,
  };
}

/** The same on a pool of its own, migrated like the store's; for tests and tools. */
export async function openPostgresPagingRepo(options: PostgresOptions): Promise<PagingRepo> {
  const pool = await openMigratedPool(options);
  return owning(createPostgresPagingRepo(pool), { close: () => pool.end() });
}
