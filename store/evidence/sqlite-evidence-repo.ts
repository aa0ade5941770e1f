import type { IncidentEvidence } from '../../core/evidence.ts';
import { owning, shared } from '../owned.ts';
import { openSqliteDatabase, type SqliteDatabase } from '../sqlite/database.ts';
import type { EvidenceRepo } from './evidence-repo.ts';
import {
  claimBlockedBy,
  type EvidenceRow,
  parseEvidence,
  serializeEvidence,
  toSaved,
} from './evidence-rows.ts';

/**
 * Opens the evidence table in a SQLite file (the bot's own `bot.db` works: the table is separate)
 * or `:memory:`. Each method is one immediate transaction, so saves are numbered in commit order
 * and a claim by one process holds against the others until its lease runs out.
 */
export function createSqliteEvidenceRepo(database: SqliteDatabase): EvidenceRepo {
  const db = database.connection;

  const q = {
    get: db.prepare('SELECT * FROM incident_evidence WHERE incident_id = ?'),
    claim: db.prepare(
      `INSERT INTO incident_evidence (incident_id, claimed_by, lease_until) VALUES (@id, @owner, @until)
       ON CONFLICT (incident_id) DO UPDATE SET claimed_by = @owner, lease_until = @until`,
    ),
    save: db.prepare(
      `INSERT INTO incident_evidence (incident_id, evidence, seq, saved_at)
       VALUES (@id, @json, (SELECT coalesce(max(seq), 0) + 1 FROM incident_evidence), @now)
       ON CONFLICT (incident_id) DO UPDATE SET evidence = excluded.evidence, seq = excluded.seq,
         saved_at = excluded.saved_at, claimed_by = NULL, lease_until = NULL`,
    ),
    since: db.prepare('SELECT * FROM incident_evidence WHERE seq > ? ORDER BY seq LIMIT ?'),
    lastSeq: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM incident_evidence'),
  };
  const lastSeq = () => (q.lastSeq.get() as { seq: number }).seq;
  const row = (id: number) => q.get.get(id) as EvidenceRow | undefined;

  /** One atomic unit; retried while another connection holds the write lock. */
  const { atomically } = database;

  const save = (evidence: IncidentEvidence, now: number) => {
    q.save.run({ id: evidence.incidentId, json: serializeEvidence(evidence), now });
    return lastSeq();
  };

  return {
    claim: (incidentId, owner, now, leaseMs) =>
      atomically(() => {
        const blocked = claimBlockedBy(row(incidentId), now);
        if (blocked) return blocked;
        q.claim.run({ id: incidentId, owner, until: now + leaseMs });
        return { status: 'claimed', until: now + leaseMs };
      }),
    save: (evidence, now) => atomically(() => save(evidence, now)),
    saveIfMissing: (evidence, now) =>
      atomically(() => {
        if (row(evidence.incidentId)?.evidence) return false;
        save(evidence, now);
        return true;
      }),
    get: (incidentId) =>
      atomically(() => {
        const json = row(incidentId)?.evidence;
        return json ? parseEvidence(json) : undefined;
      }),
    listSince: (seq, limit) => atomically(() => (q.since.all(seq, limit) as EvidenceRow[]).map(toSaved)),
    lastSeq: () => atomically(lastSeq),
    close: shared,
  };
}

/** The same on a SQLite file (or `:memory:`) of its own, migrated like the store's; for tests and tools. */
export function openSqliteEvidenceRepo(path: string): EvidenceRepo {
  const database = openSqliteDatabase({ path });
  return owning(createSqliteEvidenceRepo(database), database);
}
