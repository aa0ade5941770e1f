import { sql } from 'kysely';
import type { IncidentEvidence } from '../../core/evidence.ts';
import { shared } from '../owned.ts';
import { type Executor, raw, type SqlEngine } from '../sql/executor.ts';
import type { EvidenceRepo } from './evidence-repo.ts';
import {
  claimBlockedBy,
  type EvidenceRow,
  parseEvidence,
  serializeEvidence,
  toSaved,
} from './evidence-rows.ts';

/**
 * The evidence table, once for both engines, shared by every replica. Each method is one atomic
 * unit: saves are numbered max + 1 in commit order (on PostgreSQL of two concurrent saves one is
 * re-run, so a save is only visible once every lower number is and a reader's cursor never skips
 * one), and a claim by one replica holds against the others until its lease runs out.
 */
export function createEvidenceRepo(engine: SqlEngine): EvidenceRepo {
  const { atomically } = engine;
  const row = (db: Executor, id: number) =>
    db.first(raw(engine, sql<EvidenceRow>`SELECT * FROM incident_evidence WHERE incident_id = ${id}`));
  const save = async (db: Executor, evidence: IncidentEvidence, now: number) => {
    const saved = await db.first(
      raw(
        engine,
        sql<{ seq: number }>`INSERT INTO incident_evidence (incident_id, evidence, seq, saved_at)
          VALUES (${evidence.incidentId}, ${serializeEvidence(evidence)},
            (SELECT coalesce(max(seq), 0) + 1 FROM incident_evidence), ${now})
          ON CONFLICT (incident_id) DO UPDATE SET evidence = excluded.evidence, seq = excluded.seq,
            saved_at = excluded.saved_at, claimed_by = NULL, lease_until = NULL
          RETURNING seq`,
      ),
    );
    return Number(saved!.seq);
  };

  return {
    claim: (incidentId, owner, now, leaseMs) =>
      atomically(async (db) => {
        const blocked = claimBlockedBy(await row(db, incidentId), now);
        if (blocked) return blocked;
        await db.run(
          raw(
            engine,
            sql`INSERT INTO incident_evidence (incident_id, claimed_by, lease_until) VALUES (${incidentId}, ${owner}, ${now + leaseMs})
              ON CONFLICT (incident_id) DO UPDATE SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until`,
          ),
        );
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
          await db.all(
            raw(
              engine,
              sql<EvidenceRow>`SELECT * FROM incident_evidence WHERE seq > ${seq} ORDER BY seq LIMIT ${limit}`,
            ),
          )
        ).map(toSaved),
      ),
    lastSeq: () =>
      atomically(async (db) => {
        const last = await db.first(
          raw(engine, sql<{ seq: number }>`SELECT coalesce(max(seq), 0) AS seq FROM incident_evidence`),
        );
        return Number(last?.seq ?? 0);
      }),
    close: shared,
  };
}
