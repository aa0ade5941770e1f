/**
 * The remediation tables on PostgreSQL, recorded in `remediation_schema_migrations`. They mirror
 * the SQLite schema (bigint milliseconds, JSON as text) and keep the same rules in the database:
 * one approval per person, one execution per proposal, one pending proposal per plan, and an
 * append-only audit log. Never edit a shipped migration; add one.
 */
export const REMEDIATION_PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE remediation_proposals (
    id                 bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id        bigint,
    action_id          text    NOT NULL,
    status             text    NOT NULL,
    plan_hash          text    NOT NULL,
    proposed_by        text    NOT NULL,
    proposed_at        bigint  NOT NULL,
    expires_at         bigint  NOT NULL,
    required_approvals integer NOT NULL,
    body               text    NOT NULL,
    result             text,
    updated_at         bigint  NOT NULL
  );
  CREATE INDEX remediation_proposals_incident ON remediation_proposals (incident_id, id);
  CREATE INDEX remediation_proposals_pending ON remediation_proposals (status, expires_at);
  CREATE UNIQUE INDEX remediation_proposals_pending_plan ON remediation_proposals (plan_hash) WHERE status = 'pending';

  CREATE TABLE remediation_approvals (
    proposal_id bigint NOT NULL REFERENCES remediation_proposals (id),
    approver    text   NOT NULL,
    plan_hash   text   NOT NULL,
    at          bigint NOT NULL,
    PRIMARY KEY (proposal_id, approver)
  );

  CREATE TABLE remediation_executions (
    proposal_id bigint PRIMARY KEY REFERENCES remediation_proposals (id),
    action_id   text   NOT NULL,
    started_by  text   NOT NULL,
    started_at  bigint NOT NULL,
    outcome     text
  );
  CREATE INDEX remediation_executions_action ON remediation_executions (action_id, started_at);

  CREATE TABLE remediation_audit (
    seq         bigint PRIMARY KEY,
    at          bigint NOT NULL,
    actor       text   NOT NULL,
    event       text   NOT NULL,
    proposal_id bigint,
    incident_id bigint,
    action_id   text,
    plan_hash   text,
    result      text   NOT NULL,
    detail      text   NOT NULL,
    prev_hash   text   NOT NULL,
    hash        text   NOT NULL
  );
  CREATE INDEX remediation_audit_incident ON remediation_audit (incident_id, seq);
  CREATE FUNCTION remediation_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
  CREATE TRIGGER remediation_audit_no_change BEFORE UPDATE OR DELETE ON remediation_audit
    FOR EACH ROW EXECUTE FUNCTION remediation_audit_append_only();

  -- Holds no rows: every writing transaction locks it first (LOCK TABLE takes no snapshot), so
  -- writes of all replicas queue up in order and each audit record links to the true last one.
  CREATE TABLE remediation_write_lock ();

  CREATE TABLE remediation_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
  );
  `,
  `
  CREATE TABLE remediation_messages (
    proposal_id bigint NOT NULL,
    surface     text   NOT NULL,
    ref         text   NOT NULL,
    created_at  bigint NOT NULL,
    PRIMARY KEY (proposal_id, surface)
  );

  CREATE TABLE remediation_audit_head (
    id   integer PRIMARY KEY CHECK (id = 1),
    seq  bigint  NOT NULL,
    hash text    NOT NULL
  );
  INSERT INTO remediation_audit_head (id, seq, hash)
    SELECT 1, seq, hash FROM remediation_audit ORDER BY seq DESC LIMIT 1;
  `,
];
