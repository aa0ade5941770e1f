/**
 * The evidence table in SQLite, recorded in `evidence_schema` (the main store owns
 * `PRAGMA user_version`). Never edit a shipped migration; add one.
 */
export const EVIDENCE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE incident_evidence (
    incident_id INTEGER PRIMARY KEY,
    claimed_by  TEXT,
    lease_until INTEGER,
    evidence    TEXT,
    seq         INTEGER,
    saved_at    INTEGER
  );
  CREATE INDEX incident_evidence_seq ON incident_evidence (seq) WHERE seq IS NOT NULL;
  `,
];
