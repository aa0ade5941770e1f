/**
 * The evidence table on PostgreSQL, recorded in `evidence_schema_migrations`; the same table as
 * sqlite-migrations.ts with bigint milliseconds. `seq` has no unique index on purpose: saves number
 * themselves `max(seq) + 1` in SERIALIZABLE transactions, so two concurrent saves conflict and one
 * re-runs (a unique violation would not be re-run). Never edit a shipped migration; add one.
 */
export const EVIDENCE_PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE incident_evidence (
    incident_id bigint PRIMARY KEY,
    claimed_by  text,
    lease_until bigint,
    evidence    text,
    seq         bigint,
    saved_at    bigint
  );
  CREATE INDEX incident_evidence_seq ON incident_evidence (seq) WHERE seq IS NOT NULL;
  `,
];
