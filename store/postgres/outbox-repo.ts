import type { OutboxRepo } from '../../core/store.ts';
import { toJson } from '../json.ts';
import { type OutboxRow, toEntry } from '../rows.ts';
import type { Db } from './db.ts';

// Coalescing locks the entry it joins (FOR UPDATE) until the enqueuing transaction ends: a worker
// skips it meanwhile, so it cannot deliver the entry with state read before that transaction
// commits. An entry leased right now is being delivered with older state; a newer change must
// queue behind it rather than be absorbed by it.
const ENQUEUE = `
  WITH joined AS (
    SELECT id FROM outbox
    WHERE coalesce_key = $5::text AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $6::bigint)
    ORDER BY id DESC LIMIT 1
    FOR UPDATE
  ), pulled AS (
    -- Only a never-attempted entry: one in backoff keeps its Retry-After.
    UPDATE outbox SET next_attempt_at = LEAST(next_attempt_at, $6::bigint + $7::bigint)
    WHERE id IN (SELECT id FROM joined) AND attempts = 0
  ), inserted AS (
    INSERT INTO outbox (surface, channel, payload, order_key, coalesce_key, next_attempt_at, created_at)
    SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::bigint + $7::bigint, $6::bigint
    WHERE NOT EXISTS (SELECT 1 FROM joined)
    RETURNING id
  )
  SELECT id FROM joined UNION ALL SELECT id FROM inserted`;

// Ids are drawn when a row is inserted but become visible when its transaction commits, which
// can be in another order. Enqueuers of one order key therefore queue on an advisory lock held
// until they commit: a worker never sees entry n+1 of a key while entry n is still invisible.
const ORDER_LOCK = 'SELECT pg_advisory_xact_lock(hashtext($1))';

// Only the head (oldest pending entry) of each order key is a candidate, so two entries of one key
// are never in flight at once. SKIP LOCKED lets several workers claim side by side: a head another
// worker is leasing right now is skipped, not waited for, and its successors are not heads.
const CLAIM = `
  WITH heads AS (
    SELECT o.id FROM outbox o
    WHERE o.status = 'pending'
      AND o.id = (SELECT min(h.id) FROM outbox h WHERE h.order_key = o.order_key AND h.status = 'pending')
      AND o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1)
    ORDER BY o.id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  )
  UPDATE outbox SET lease_until = $3, attempts = outbox.attempts + 1
  FROM heads WHERE outbox.id = heads.id
  RETURNING outbox.*`;

// The outcome of a claim is written only while the claim holds (see OutboxRepo): $2 id, $3 attempt.
const CLAIM_HOLDS = "id = $2 AND attempts = $3 AND status = 'pending'";

export function createOutboxRepo(db: Db): OutboxRepo {
  return {
    async enqueue(entry, now) {
      await db.query(ORDER_LOCK, [entry.orderKey]);
      const [row] = await db.query<{ id: number }>(ENQUEUE, [
        entry.surface,
        entry.channel,
        toJson(entry.payload),
        entry.orderKey,
        entry.coalesceKey ?? null,
        now,
        entry.delayMs ?? 0,
      ]);
      return row!.id;
    },
    async claimDue(now, limit, leaseMs) {
      const rows = await db.query<OutboxRow>(CLAIM, [now, limit, now + leaseMs]);
      return rows.map(toEntry).sort((a, b) => a.id - b.id);
    },
    async complete(claim, now) {
      const rows = await db.query(
        `UPDATE outbox SET status = 'delivered', finished_at = $1, lease_until = NULL, last_error = NULL
         WHERE ${CLAIM_HOLDS} RETURNING id`,
        [now, claim.id, claim.attempts],
      );
      return rows.length === 1;
    },
    async retryLater(claim, nextAttemptAt, error) {
      const rows = await db.query(
        `UPDATE outbox SET next_attempt_at = $1, lease_until = NULL, last_error = $4
         WHERE ${CLAIM_HOLDS} RETURNING id`,
        [nextAttemptAt, claim.id, claim.attempts, error.slice(0, 2000)],
      );
      return rows.length === 1;
    },
    async fail(claim, now, error) {
      const rows = await db.query(
        `UPDATE outbox SET status = 'failed', finished_at = $1, lease_until = NULL, last_error = $4
         WHERE ${CLAIM_HOLDS} RETURNING id`,
        [now, claim.id, claim.attempts, error.slice(0, 2000)],
      );
      return rows.length === 1;
    },
    async renew(claim, leaseUntil) {
      const rows = await db.query(`UPDATE outbox SET lease_until = $1 WHERE ${CLAIM_HOLDS} RETURNING id`, [
        leaseUntil,
        claim.id,
        claim.attempts,
      ]);
      return rows.length === 1;
    },
    async pendingCount() {
      const [row] = await db.query<{ n: number }>(
        "SELECT count(*) AS n FROM outbox WHERE status = 'pending'",
      );
      return row!.n;
    },
    async nextDueIn(now) {
      const [row] = await db.query<{ at: number | null }>(
        // Only heads can be delivered next: an entry queued behind one in backoff is not due.
        `SELECT min(greatest(o.next_attempt_at, coalesce(o.lease_until, 0))) AS at
         FROM (SELECT min(id) AS id FROM outbox WHERE status = 'pending' GROUP BY order_key) h
         JOIN outbox o ON o.id = h.id`,
      );
      const at = row?.at;
      return at == null ? null : Math.max(0, at - now);
    },
  };
}
