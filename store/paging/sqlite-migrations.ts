/**
 * Tables of the paging store, applied in order and recorded in `paging_schema` (the main store
 * owns `PRAGMA user_version`). Never edit a shipped migration; add one. Types stay portable to
 * PostgreSQL: integer milliseconds, JSON text.
 */
export const PAGING_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE paging_incidents (
    incident_id INTEGER PRIMARY KEY,
    tier        TEXT    NOT NULL,
    opened_at   INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    triggered   INTEGER NOT NULL DEFAULT 0,
    escalated   INTEGER NOT NULL DEFAULT 0,
    acked       INTEGER NOT NULL DEFAULT 0,
    resolved    INTEGER NOT NULL DEFAULT 0,
    digested    INTEGER NOT NULL DEFAULT 0,
    generation  INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX paging_incidents_active ON paging_incidents (active, incident_id);
  CREATE INDEX paging_incidents_digest ON paging_incidents (tier, digested, opened_at);

  CREATE TABLE paging_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id     INTEGER NOT NULL,
    action          TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
  );
  CREATE INDEX paging_events_pending ON paging_events (status, incident_id, id);

  CREATE TABLE paging_timers (
    incident_id INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    due_at      INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending',
    lease_until INTEGER,
    PRIMARY KEY (incident_id, kind)
  );
  CREATE INDEX paging_timers_due ON paging_timers (status, due_at);

  CREATE TABLE paging_digests (
    day         TEXT PRIMARY KEY,
    status      TEXT    NOT NULL,
    lease_until INTEGER,
    done_at     INTEGER,
    incidents   TEXT,
    -- The digest by email: 'none' | 'pending' | 'sent' | 'failed', sent outbox-style.
    email_status   TEXT    NOT NULL DEFAULT 'none',
    email_body     TEXT,
    email_attempts INTEGER NOT NULL DEFAULT 0,
    email_next_at  INTEGER,
    email_lease    INTEGER,
    email_error    TEXT
  );

  CREATE TABLE paging_settings (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `,
];
