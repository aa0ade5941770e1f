/**
 * The paging tables on PostgreSQL, recorded in `paging_schema_migrations`. The same tables as the
 * SQLite migrations (sqlite-migrations.ts), in PostgreSQL's types: times are bigint milliseconds,
 * flags booleans. Never edit a shipped migration; add one.
 */
export const PAGING_PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE paging_incidents (
    incident_id bigint  PRIMARY KEY,
    tier        text    NOT NULL,
    opened_at   bigint  NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    triggered   boolean NOT NULL DEFAULT false,
    escalated   boolean NOT NULL DEFAULT false,
    acked       boolean NOT NULL DEFAULT false,
    resolved    boolean NOT NULL DEFAULT false,
    digested    boolean NOT NULL DEFAULT false,
    generation  integer NOT NULL DEFAULT 0
  );
  CREATE INDEX paging_incidents_active ON paging_incidents (incident_id) WHERE active;
  CREATE INDEX paging_incidents_digest ON paging_incidents (tier, digested, opened_at);

  CREATE TABLE paging_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id     bigint  NOT NULL,
    action          text    NOT NULL,
    body            text    NOT NULL,
    status          text    NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at bigint  NOT NULL,
    lease_until     bigint,
    last_error      text,
    created_at      bigint  NOT NULL,
    sent_at         bigint
  );
  CREATE INDEX paging_events_pending ON paging_events (incident_id, id) WHERE status = 'pending';

  CREATE TABLE paging_timers (
    incident_id bigint NOT NULL,
    kind        text   NOT NULL,
    due_at      bigint NOT NULL,
    status      text   NOT NULL DEFAULT 'pending',
    lease_until bigint,
    PRIMARY KEY (incident_id, kind)
  );
  CREATE INDEX paging_timers_due ON paging_timers (status, due_at);

  CREATE TABLE paging_digests (
    day            text    PRIMARY KEY,
    status         text    NOT NULL,
    lease_until    bigint,
    done_at        bigint,
    incidents      text,
    email_status   text    NOT NULL DEFAULT 'none',
    email_body     text,
    email_attempts integer NOT NULL DEFAULT 0,
    email_next_at  bigint,
    email_lease    bigint,
    email_error    text
  );

  CREATE TABLE paging_settings (key text PRIMARY KEY, value bigint NOT NULL);
  `,
];
