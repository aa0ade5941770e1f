import type Database from 'better-sqlite3';
import type { OutboxRepo } from '../../core/store.ts';
import { toJson } from '../json.ts';
import { type OutboxRow, toEntry } from '../rows.ts';

export function createOutboxRepo(db: Database.Database): OutboxRepo {
  // An entry that is leased right now is being delivered with the state read at its start; a
  // newer change must queue behind it rather than be absorbed by it.
  const findCoalescible = db.prepare<[string, number], { id: number }>(`
    SELECT id FROM outbox WHERE coalesce_key = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)
    ORDER BY id DESC LIMIT 1`);
  // Only a never-attempted entry: one in backoff keeps its Retry-After.
  const pullForward = db.prepare(
    'UPDATE outbox SET next_attempt_at = min(next_attempt_at, ?) WHERE id = ? AND attempts = 0',
  );
  const insert = db.prepare(`
    INSERT INTO outbox (surface, channel, payload, order_key, coalesce_key, next_attempt_at, created_at)
    VALUES (@surface, @channel, @payload, @orderKey, @coalesceKey, @notBefore, @now)`);
  // Only order keys with something due are looked at (partial index on the due time), so a
  // backlog of entries waiting out their coalescing window costs nothing per round.
  const heads = db.prepare<[number, number, number, number], OutboxRow>(`
    SELECT o.* FROM (
      SELECT min(id) AS id FROM outbox
      WHERE status = 'pending'
        AND order_key IN (SELECT order_key FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?)
      GROUP BY order_key) h
    JOIN outbox o ON o.id = h.id
    WHERE o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?)
    ORDER BY o.id LIMIT ?`);
  const lease = db.prepare('UPDATE outbox SET lease_until = ?, attempts = attempts + 1 WHERE id = ?');
  const complete = db.prepare(
    "UPDATE outbox SET status = 'delivered', finished_at = ?, lease_until = NULL, last_error = NULL WHERE id = ? AND attempts = ? AND status = 'pending'",
  );
  const retry = db.prepare(
    "UPDATE outbox SET next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE id = ? AND attempts = ? AND status = 'pending'",
  );
  const fail = db.prepare(
    "UPDATE outbox SET status = 'failed', finished_at = ?, lease_until = NULL, last_error = ? WHERE id = ? AND attempts = ? AND status = 'pending'",
  );
  const renew = db.prepare(
    "UPDATE outbox SET lease_until = ? WHERE id = ? AND attempts = ? AND status = 'pending'",
  );
  const pending = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE status = 'pending'");
  // Only heads can be delivered next: an entry queued behind one in backoff is not due.
  const nextDue = db.prepare<[], { at: number | null }>(`
    SELECT min(max(o.next_attempt_at, coalesce(o.lease_until, 0))) AS at
    FROM (SELECT min(id) AS id FROM outbox WHERE status = 'pending' GROUP BY order_key) h
    JOIN outbox o ON o.id = h.id`);
  const claim = db.transaction((now: number, limit: number, leaseMs: number) => {
    const rows = heads.all(now, now, now, limit);
    for (const row of rows) lease.run(now + leaseMs, row.id);
    return rows.map((row) => ({ ...toEntry(row), attempts: row.attempts + 1 }));
  });

  return {
    async enqueue(entry, now) {
      if (entry.coalesceKey) {
        const existing = findCoalescible.get(entry.coalesceKey, now);
        if (existing) {
          pullForward.run(now + (entry.delayMs ?? 0), existing.id);
          return existing.id;
        }
      }
      const { lastInsertRowid } = insert.run({
        surface: entry.surface,
        channel: entry.channel,
        payload: toJson(entry.payload),
        orderKey: entry.orderKey,
        coalesceKey: entry.coalesceKey ?? null,
        notBefore: now + (entry.delayMs ?? 0),
        now,
      });
      return Number(lastInsertRowid);
    },
    async claimDue(now, limit, leaseMs) {
      return claim(now, limit, leaseMs);
    },
    async complete(claim, now) {
      return complete.run(now, claim.id, claim.attempts).changes === 1;
    },
    async retryLater(claim, nextAttemptAt, error) {
      return retry.run(nextAttemptAt, error.slice(0, 2000), claim.id, claim.attempts).changes === 1;
    },
    async fail(claim, now, error) {
      return fail.run(now, error.slice(0, 2000), claim.id, claim.attempts).changes === 1;
    },
    async renew(claim, leaseUntil) {
      return renew.run(leaseUntil, claim.id, claim.attempts).changes === 1;
    },
    async pendingCount() {
      return pending.get()!.n;
    },
    async nextDueIn(now) {
      const at = nextDue.get()?.at;
      return at == null ? null : Math.max(0, at - now);
    },
  };
}
