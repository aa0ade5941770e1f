/**
 * PostgreSQL schema migrations, applied in order and recorded in `schema_migrations`. Never edit
 * a migration that has shipped; add a new one. The tables mirror the SQLite schema: times are
 * bigint milliseconds since the epoch; structured values are JSON kept as text, because callers
 * compare stored alerts byte for byte with new ones and jsonb would reorder their keys.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE incidents (
    id               bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_key        text    NOT NULL,
    source           text    NOT NULL,
    title            text    NOT NULL,
    kind             text    NOT NULL,
    tier             text    NOT NULL,
    status           text    NOT NULL,
    flapping         boolean NOT NULL DEFAULT false,
    flap_count       integer NOT NULL DEFAULT 0,
    resource         text    NOT NULL,
    acknowledged_by  text,
    acknowledged_at  bigint,
    silence_id       bigint,
    silenced_by      text,
    silenced_until   bigint,
    opened_at        bigint  NOT NULL,
    updated_at       bigint  NOT NULL,
    resolved_at      bigint,
    version          integer NOT NULL
  );
  -- At most one open incident per group, across every replica: the database decides.
  CREATE UNIQUE INDEX incidents_open_group ON incidents (group_key) WHERE status = 'open';
  CREATE INDEX incidents_group ON incidents (group_key, id);
  CREATE INDEX incidents_status ON incidents (status, id);

  CREATE TABLE incident_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incidents (id),
    at          bigint NOT NULL,
    type        text   NOT NULL,
    actor       text,
    detail      text   NOT NULL
  );
  CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

  CREATE TABLE alerts (
    source         text    NOT NULL,
    fingerprint    text    NOT NULL,
    incident_id    bigint  REFERENCES incidents (id),
    status         text    NOT NULL,
    body           text    NOT NULL,
    first_seen_at  bigint  NOT NULL,
    last_seen_at   bigint  NOT NULL,
    resolved_at    bigint,
    refire_count   integer NOT NULL DEFAULT 0,
    receive_count  integer NOT NULL DEFAULT 1,
    PRIMARY KEY (source, fingerprint)
  );
  CREATE INDEX alerts_incident ON alerts (incident_id);

  CREATE TABLE silences (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    matchers    text   NOT NULL,
    created_by  text   NOT NULL,
    created_at  bigint NOT NULL,
    ends_at     bigint NOT NULL,
    comment     text   NOT NULL,
    incident_id bigint,
    expired_at  bigint
  );
  CREATE INDEX silences_active ON silences (ends_at) WHERE expired_at IS NULL;

  CREATE TABLE outbox (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    surface         text    NOT NULL,
    channel         text    NOT NULL,
    payload         text    NOT NULL,
    order_key       text    NOT NULL,
    coalesce_key    text,
    status          text    NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at bigint  NOT NULL,
    lease_until     bigint,
    last_error      text,
    created_at      bigint  NOT NULL,
    finished_at     bigint
  );
  CREATE INDEX outbox_pending_order ON outbox (order_key, id) WHERE status = 'pending';
  CREATE INDEX outbox_pending_coalesce ON outbox (coalesce_key) WHERE status = 'pending';

  CREATE TABLE chat_messages (
    surface     text   NOT NULL,
    message_id  text   NOT NULL,
    incident_id bigint NOT NULL,
    ref         text   NOT NULL,
    created_at  bigint NOT NULL,
    PRIMARY KEY (surface, message_id)
  );
  CREATE UNIQUE INDEX chat_messages_incident ON chat_messages (incident_id, surface);

  CREATE TABLE console_messages (
    id         text   PRIMARY KEY,
    -- A sequence, not max(seq) + 1: replicas insert concurrently and must never share a number.
    seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    channel    text   NOT NULL,
    thread_id  text,
    author     text   NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    text       text   NOT NULL,
    card       text
  );
  CREATE INDEX console_messages_channel ON console_messages (channel, seq);
  `,
  // Storm mode: incidents that open faster than a threshold share one storm card.
  `
  CREATE TABLE storms (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at       bigint NOT NULL,
    last_incident_at bigint NOT NULL,
    ended_at         bigint
  );
  -- At most one active storm across every replica: the database decides.
  CREATE UNIQUE INDEX storms_one_active ON storms ((ended_at IS NULL)) WHERE ended_at IS NULL;

  CREATE TABLE storm_messages (
    storm_id   bigint NOT NULL REFERENCES storms (id),
    surface    text   NOT NULL,
    ref        text   NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (storm_id, surface)
  );

  ALTER TABLE incidents ADD COLUMN storm_id bigint REFERENCES storms (id);
  CREATE INDEX incidents_storm ON incidents (storm_id, id) WHERE storm_id IS NOT NULL;
  CREATE INDEX incidents_opened ON incidents (opened_at);
  `,
  // Chat conversations the bot may post into on its own (Teams references), shared by replicas.
  `
  CREATE TABLE chat_conversations (
    surface    text   NOT NULL,
    place_key  text   NOT NULL,
    ref        text   NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (surface, place_key)
  );

  CREATE TABLE chat_oncall (
    surface   text NOT NULL PRIMARY KEY,
    place_key text NOT NULL
  );
  `,
  // Readiness commits here ("the store can commit"): a full disk or a read-only database fails it.
  `
  CREATE TABLE store_heartbeat (
    id      integer PRIMARY KEY CHECK (id = 1),
    beat_at bigint NOT NULL
  );
  `,
  // The senders' own start and end of an incident (alert startsAt/endsAt), shown on cards.
  `
  ALTER TABLE incidents ADD COLUMN started_at bigint;
  ALTER TABLE incidents ADD COLUMN ended_at bigint;
  `,
  // The incident timeline: every event with who (platform-qualified) and the name people read.
  `
  ALTER TABLE incident_events RENAME TO timeline_events;
  ALTER INDEX incident_events_incident RENAME TO timeline_events_incident;
  ALTER TABLE timeline_events ADD COLUMN actor_name text;
  UPDATE timeline_events SET actor_name = actor, actor = NULL WHERE actor IS NOT NULL AND actor <> 'bot';
  CREATE INDEX timeline_events_type ON timeline_events (type, incident_id);
  `,
  // The incident commander (/own), shown on the card.
  `
  ALTER TABLE incidents ADD COLUMN commander text;
  `,
];
