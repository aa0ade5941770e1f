import type pg from 'pg';
import type { IncidentEvidence } from '../../core/evidence.ts';
import { owning, shared } from '../owned.ts';
import type { Db } from '../postgres/db.ts';
import { openMigratedPool, type PostgresOptions, serializable } from '../postgres/pool.ts';
import type { EvidenceRepo } from './evidence-repo.ts';
import {
  claimBlockedBy,
  type EvidenceRow,
  parseEvidence,
  serializeEvidence,
  toSaved,
} from './evidence-rows.ts';

// Numbered max + 1 inside a SERIALIZABLE transaction: of two concurrent saves one is re-run, so a
// save is only visible once every lower number is (a reader's cursor never skips one).
const SAVE = `
  INSERT INTO incident_evidence (incident_id, evidence, seq, saved_at)
  VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM incident_evidence), $3)
  ON CONFLICT (incident_id) DO UPDATE SET evidence = excluded.evidence, seq = excluded.seq,
    saved_at = excluded.saved_at, claimed_by = NULL, lease_until = NULL
  RETURNING seq`;

const CLAIM = `
  INSERT INTO incident_evidence (incident_id, claimed_by, lease_until) VALUES ($1, $2, $3)
  ON CONFLICT (incident_id) DO UPDATE
    SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until`;

/**
 * The evidence table on PostgreSQL, shared by every replica. Each method is one SERIALIZABLE
 * transaction (re-run on conflict): two replicas claiming one incident at once behave as two
 * connections to one SQLite file do, one of them gets it.
 */
export function createPostgresEvidenceRepo(pool: pg.Pool): EvidenceRepo {
  const atomically = <T>(fn: (db: Db) => Promise<T>) => serializable(pool, fn);
  const row = async (db: Db, id: number) =>
    (await db.query<EvidenceRow>('SELECT * FROM incident_evidence WHERE incident_id = $1', [id]))[0];
  const save = async (db: Db, evidence: IncidentEvidence, now: number) =>
    (await db.query<{ seq: number }>(SAVE, [evidence.incidentId, serializeEvidence(evidence), now]))[0]!.seq;

  return {
    claim: (incidentId, owner, now, leaseMs) =>
      atomically(async (db) => {
        const blocked = claimBlockedBy(await row(db, incidentId), now);
        if (blocked) return blocked;
        await db.query(CLAIM, [incidentId, owner, now + leaseMs]);
        return { status: 'claimed', until: now + leaseMs };
      }),
    save: (evidence, now) => atomically((db) => save(db, evidence, now)),
    saveIfMissing: (evidence, now) =>
      atomically(async (db) => {
        if ((await row(db, evidence.incidentId))?.evidence) return false;
        await save(db, evidence, now);
        return true;
      }),
    get: (incidentId) =>
      atomically(async (db) => {
        const json = (await row(db, incidentId))?.evidence;
        return json ? parseEvidence(json) : undefined;
      }),
    listSince: (seq, limit) =>
      atomically(async (db) =>
        (
          await db.query<EvidenceRow>(
            'SELECT * FROM incident_evidence WHERE seq > $1 ORDER BY seq LIMIT $2',
            [seq, limit],
          )
        ).map(toSaved),
      ),
    lastSeq: () =>
      atomically(
        async (db) =>
          (
            await db.query<{ seq: number }>(
              'SELECT coalesce(max(seq), 0)::bigint AS seq FROM incident_evidence',
            )
          )[0]!.seq,
      ),
    close: shared,
  };
}

/** The same on a pool of its own, migrated like the store's; for tests and tools. */
export async function openPostgresEvidenceRepo(options: PostgresOptions): Promise<EvidenceRepo> {
  const pool = await openMigratedPool(options);
  return owning(createPostgresEvidenceRepo(pool), { close: () => pool.end() });
}
