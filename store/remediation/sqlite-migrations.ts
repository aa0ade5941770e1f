/**
 * Tables of the remediation store, applied in order and recorded in `remediation_schema`
 * (the main store owns `PRAGMA user_version`). Never edit a shipped migration; add one.
 * Types stay portable to PostgreSQL: integer milliseconds, JSON text.
 */
export const REMEDIATION_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE remediation_proposals (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id        INTEGER,
    action_id          TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    plan_hash          TEXT    NOT NULL,
    proposed_by        TEXT    NOT NULL,
    proposed_at        INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    required_approvals INTEGER NOT NULL,
    body               TEXT    NOT NULL,
    result             TEXT,
    updated_at         INTEGER NOT NULL
  );
  CREATE INDEX remediation_proposals_incident ON remediation_proposals (incident_id, id);
  CREATE INDEX remediation_proposals_pending ON remediation_proposals (status, expires_at);

  -- Four-eyes in the schema: one approval per person per proposal, never by the proposer.
  CREATE TABLE remediation_approvals (
    proposal_id INTEGER NOT NULL REFERENCES remediation_proposals (id),
    approver    TEXT    NOT NULL,
    plan_hash   TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, approver)
  );

  -- Exactly once: a proposal executes at most once, whoever clicks and however often.
  CREATE TABLE remediation_executions (
    proposal_id INTEGER PRIMARY KEY REFERENCES remediation_proposals (id),
    action_id   TEXT    NOT NULL,
    started_by  TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    outcome     TEXT
  );
  CREATE INDEX remediation_executions_action ON remediation_executions (action_id, started_at);

  CREATE TABLE remediation_audit (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    event       TEXT    NOT NULL,
    proposal_id INTEGER,
    incident_id INTEGER,
    action_id   TEXT,
    plan_hash   TEXT,
    result      TEXT    NOT NULL,
    detail      TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
  );
  CREATE INDEX remediation_audit_incident ON remediation_audit (incident_id, seq);
  -- Append-only: the database refuses edits and deletions (verification catches raw file edits).
  CREATE TRIGGER remediation_audit_no_update BEFORE UPDATE ON remediation_audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER remediation_audit_no_delete BEFORE DELETE ON remediation_audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

  CREATE TABLE remediation_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- One pending proposal per exact plan: a double click on Propose proposes once.
  CREATE UNIQUE INDEX remediation_proposals_pending_plan ON remediation_proposals (plan_hash) WHERE status = 'pending';
  `,
  `
  -- Where each proposal's card was posted, so every state change edits it in place.
  CREATE TABLE remediation_messages (
    proposal_id INTEGER NOT NULL,
    surface     TEXT    NOT NULL,
    ref         TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, surface)
  );

  -- The chain's head outside the chain: written with every append, so deleting the last records
  -- (behind the triggers) leaves a head the chain no longer reaches.
  CREATE TABLE remediation_audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
  );
  INSERT INTO remediation_audit_head (id, seq, hash)
    SELECT 1, seq, hash FROM remediation_audit ORDER BY seq DESC LIMIT 1;
  `,
];
