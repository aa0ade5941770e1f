import { sql } from 'kysely';
import { shared } from '../owned.ts';
import { type Executor, raw, type SqlEngine } from '../sql/executor.ts';
import type { PagingRepo, TimerKind } from './paging-repo.ts';
import { type EventRow, FLAG_COLUMNS, type IncidentRow, toEvent, toTracked } from './paging-rows.ts';

const byId = <T extends { id: number }>(rows: T[]) => rows.sort((a, b) => a.id - b.id);

/**
 * The paging tables, once for both engines (flags are 0/1 on SQLite and booleans on PostgreSQL;
 * the statements use TRUE, FALSE and NOT, which both read alike). Each method is one atomic unit,
 * so two replicas racing for the same flag, event, timer or digest get it once: SQLite's
 * transactions are serial, PostgreSQL's SERIALIZABLE and re-run on conflict. The claims lease
 * what they return in the same statement.
 */
export function createPagingRepo(engine: SqlEngine): PagingRepo {
  const { atomically } = engine;
  const q = <R>(text: ReturnType<typeof sql<R>>) => raw(engine, text);
  const getIncident = (db: Executor, id: number) =>
    db.first(q<IncidentRow>(sql`SELECT * FROM paging_incidents WHERE incident_id = ${id}`));
  const insertTimer = (db: Executor, incidentId: number, kind: TimerKind, dueAt: number) =>
    db.run(
      q(sql`INSERT INTO paging_timers (incident_id, kind, due_at) VALUES (${incidentId}, ${kind}, ${dueAt})
            ON CONFLICT DO NOTHING`),
    );

  return {
    track: async (i) => {
      // Most ticks find nothing new: answer those with one read, without the write lock.
      const known = await getIncident(engine.db, i.incidentId);
      if (known?.tier === i.tier) return toTracked(known);
      return atomically(async (db) => {
        await db.run(
          q(sql`INSERT INTO paging_incidents (incident_id, tier, opened_at) VALUES (${i.incidentId}, ${i.tier}, ${i.openedAt})
                ON CONFLICT (incident_id) DO UPDATE SET tier = excluded.tier`),
        );
        return toTracked((await getIncident(db, i.incidentId))!);
      });
    },
    listActive: async (limit) =>
      (
        await engine.db.all(
          q<IncidentRow>(
            sql`SELECT * FROM paging_incidents WHERE active ORDER BY incident_id LIMIT ${limit}`,
          ),
        )
      ).map(toTracked),
    finish: (id) =>
      atomically(async (db) => {
        await db.run(q(sql`UPDATE paging_incidents SET active = FALSE WHERE incident_id = ${id}`));
      }),
    reopen: (id, generation) =>
      atomically(async (db) => {
        const reopened = await db.run(
          q(sql`UPDATE paging_incidents SET active = TRUE, triggered = FALSE, escalated = FALSE, acked = FALSE,
                resolved = FALSE, generation = generation + 1
                WHERE incident_id = ${id} AND generation = ${generation} AND resolved`),
        );
        if (reopened !== 1) return false;
        await db.run(q(sql`DELETE FROM paging_timers WHERE incident_id = ${id}`));
        return true;
      }),
    setOnce: (incidentId, generation, flag, effects, now) =>
      atomically(async (db) => {
        const col = sql.ref(FLAG_COLUMNS[flag]);
        const changed = await db.run(
          q(sql`UPDATE paging_incidents SET ${col} = TRUE
                WHERE incident_id = ${incidentId} AND generation = ${generation} AND NOT ${col}`),
        );
        if (changed !== 1) return false;
        if (effects.event) {
          const e = effects.event;
          await db.run(
            q(sql`INSERT INTO paging_events (incident_id, action, body, next_attempt_at, created_at)
                  VALUES (${e.incidentId}, ${e.action}, ${e.body}, ${now}, ${now})`),
          );
        }
        if (effects.timer) await insertTimer(db, incidentId, effects.timer.kind, effects.timer.dueAt);
        return true;
      }),
    // Only the oldest pending event of an incident is deliverable: PagerDuty must see trigger
    // before acknowledge before resolve.
    claimEvents: (now, limit, leaseMs) =>
      atomically(async (db) =>
        byId(
          await db.all(
            q<EventRow>(sql`UPDATE paging_events SET lease_until = ${now + leaseMs}, attempts = attempts + 1
              WHERE id IN (
                SELECT e.id FROM paging_events e
                WHERE e.status = 'pending'
                  AND e.id = (SELECT min(o.id) FROM paging_events o WHERE o.incident_id = e.incident_id AND o.status = 'pending')
                  AND e.next_attempt_at <= ${now} AND (e.lease_until IS NULL OR e.lease_until <= ${now})
                ORDER BY e.id LIMIT ${limit})
              RETURNING *`),
          ),
        ).map(toEvent),
      ),
    completeEvent: (id, now) =>
      atomically(async (db) => {
        await db.run(
          q(
            sql`UPDATE paging_events SET status = 'sent', sent_at = ${now}, lease_until = NULL WHERE id = ${id}`,
          ),
        );
      }),
    retryEvent: (id, at, error) =>
      atomically(async (db) => {
        await db.run(
          q(
            sql`UPDATE paging_events SET next_attempt_at = ${at}, last_error = ${error}, lease_until = NULL WHERE id = ${id}`,
          ),
        );
      }),
    failEvent: (id, now, error) =>
      atomically(async (db) => {
        await db.run(
          q(sql`UPDATE paging_events SET status = 'failed', sent_at = ${now}, last_error = ${error}, lease_until = NULL
                WHERE id = ${id}`),
        );
      }),
    listEvents: async (incidentId) =>
      (
        await engine.db.all(
          incidentId === undefined
            ? q<EventRow>(sql`SELECT * FROM paging_events ORDER BY id`)
            : q<EventRow>(sql`SELECT * FROM paging_events WHERE incident_id = ${incidentId} ORDER BY id`),
        )
      ).map(toEvent),
    schedule: (t) =>
      atomically(async (db) => {
        await insertTimer(db, t.incidentId, t.kind, t.dueAt);
      }),
    cancelTimers: (id) =>
      atomically(async (db) => {
        await db.run(
          q(sql`UPDATE paging_timers SET status = 'cancelled', lease_until = NULL
                WHERE incident_id = ${id} AND status IN ('pending', 'claimed')`),
        );
      }),
    claimTimers: (now, limit, leaseMs) =>
      atomically(async (db) => {
        const rows = await db.all(
          q<{ incident_id: number; kind: string; due_at: number }>(sql`UPDATE paging_timers
            SET status = 'claimed', lease_until = ${now + leaseMs}
            WHERE (incident_id, kind) IN (
              SELECT incident_id, kind FROM paging_timers
              WHERE due_at <= ${now} AND (status = 'pending' OR (status = 'claimed' AND lease_until <= ${now}))
              ORDER BY due_at LIMIT ${limit})
            RETURNING incident_id, kind, due_at`),
        );
        return rows
          .map((r) => ({ incidentId: r.incident_id, kind: r.kind as TimerKind, dueAt: r.due_at }))
          .sort((a, b) => a.dueAt - b.dueAt || a.incidentId - b.incidentId);
      }),
    finishTimer: (t, outcome) =>
      atomically(async (db) => {
        await db.run(
          q(sql`UPDATE paging_timers SET status = ${outcome}, lease_until = NULL
                WHERE incident_id = ${t.incidentId} AND kind = ${t.kind} AND status = 'claimed'`),
        );
      }),
    cursor: async () =>
      (
        await engine.db.first(
          q<{ value: number }>(sql`SELECT value FROM paging_settings WHERE key = 'cursor'`),
        )
      )?.value ?? 0,
    advanceCursor: (id) =>
      atomically(async (db) => {
        // The larger of two values: max() of two arguments on SQLite, greatest() on PostgreSQL.
        const larger = engine.dialect === 'sqlite' ? sql`max` : sql`greatest`;
        await db.run(
          q(sql`INSERT INTO paging_settings (key, value) VALUES ('cursor', ${id})
                ON CONFLICT (key) DO UPDATE SET value = ${larger}(paging_settings.value, excluded.value)`),
        );
      }),
    claimDigest: (day, now, leaseMs) =>
      atomically(async (db) => {
        const row = await db.first(
          q<{ status: string; lease_until: number | null }>(
            sql`SELECT status, lease_until FROM paging_digests WHERE day = ${day}`,
          ),
        );
        if (row && (row.status === 'done' || (row.lease_until ?? 0) > now)) return false;
        await db.run(
          q(sql`INSERT INTO paging_digests (day, status, lease_until) VALUES (${day}, 'claimed', ${now + leaseMs})
                ON CONFLICT (day) DO UPDATE SET lease_until = excluded.lease_until`),
        );
        return true;
      }),
    listUndigested: async (from, before) =>
      (
        await engine.db.all(
          q<IncidentRow>(sql`SELECT * FROM paging_incidents
            WHERE tier = 'P3' AND NOT digested AND opened_at >= ${from} AND opened_at < ${before}
            ORDER BY opened_at, incident_id`),
        )
      ).map(toTracked),
    completeDigest: (day, ids, now, email) =>
      atomically(async (db) => {
        if (ids.length > 0) {
          await db.run(
            q(sql`UPDATE paging_incidents SET digested = TRUE WHERE incident_id IN (${sql.join(ids)})`),
          );
        }
        await db.run(
          q(sql`UPDATE paging_digests SET status = 'done', done_at = ${now}, incidents = ${JSON.stringify(ids)},
                lease_until = NULL, email_status = ${email === undefined ? 'none' : 'pending'},
                email_body = ${email ?? null}, email_next_at = ${now}
                WHERE day = ${day}`),
        );
      }),
    claimDigestEmails: (now, leaseMs) =>
      atomically(async (db) => {
        const rows = await db.all(
          q<{ day: string; email_body: string; email_attempts: number }>(sql`UPDATE paging_digests
            SET email_lease = ${now + leaseMs}, email_attempts = email_attempts + 1
            WHERE day IN (
              SELECT day FROM paging_digests
              WHERE email_status = 'pending' AND email_next_at <= ${now} AND (email_lease IS NULL OR email_lease <= ${now})
              ORDER BY day LIMIT 10)
            RETURNING day, email_body, email_attempts`),
        );
        return rows
          .map((r) => ({ day: r.day, body: r.email_body, attempts: r.email_attempts }))
          .sort((a, b) => a.day.localeCompare(b.day));
      }),
    finishDigestEmail: (day, outcome) =>
      atomically(async (db) => {
        if ('sent' in outcome) {
          await db.run(
            q(
              sql`UPDATE paging_digests SET email_status = 'sent', email_lease = NULL, email_error = NULL WHERE day = ${day}`,
            ),
          );
        } else if ('retryAt' in outcome) {
          await db.run(
            q(sql`UPDATE paging_digests SET email_next_at = ${outcome.retryAt}, email_error = ${outcome.error},
                  email_lease = NULL WHERE day = ${day}`),
          );
        } else {
          await db.run(
            q(sql`UPDATE paging_digests SET email_status = 'failed', email_error = ${outcome.failed},
                  email_lease = NULL WHERE day = ${day}`),
          );
        }
      }),
    close: shared,
  };
}
