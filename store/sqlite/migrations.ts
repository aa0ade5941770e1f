/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version`. Never edit a
 * migration that has shipped; add a new one. Column types stay portable to PostgreSQL: times are
 * integer milliseconds since the epoch, structured values are JSON text.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE incidents (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    group_key        TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    tier             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    flapping         INTEGER NOT NULL DEFAULT 0,
    flap_count       INTEGER NOT NULL DEFAULT 0,
    resource         TEXT    NOT NULL,
    acknowledged_by  TEXT,
    acknowledged_at  INTEGER,
    silence_id       INTEGER,
    silenced_by      TEXT,
    silenced_until   INTEGER,
    opened_at        INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    resolved_at      INTEGER,
    version          INTEGER NOT NULL
  );
  -- At most one open incident per group: grouping is enforced by the database, not by memory.
  CREATE UNIQUE INDEX incidents_open_group ON incidents (group_key) WHERE status = 'open';
  CREATE INDEX incidents_group ON incidents (group_key, id);
  CREATE INDEX incidents_status ON incidents (status, id);

  CREATE TABLE incident_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    at          INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    actor       TEXT,
    detail      TEXT    NOT NULL
  );
  CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

  CREATE TABLE alerts (
    source         TEXT    NOT NULL,
    fingerprint    TEXT    NOT NULL,
    incident_id    INTEGER REFERENCES incidents (id),
    status         TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    resolved_at    INTEGER,
    refire_count   INTEGER NOT NULL DEFAULT 0,
    receive_count  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (source, fingerprint)
  );
  CREATE INDEX alerts_incident ON alerts (incident_id);

  CREATE TABLE silences (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    matchers    TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    comment     TEXT    NOT NULL,
    incident_id INTEGER,
    expired_at  INTEGER
  );
  CREATE INDEX silences_active ON silences (ends_at) WHERE expired_at IS NULL;

  CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    surface         TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    order_key       TEXT    NOT NULL,
    coalesce_key    TEXT,
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
  );
  CREATE INDEX outbox_pending_order ON outbox (order_key, id) WHERE status = 'pending';
  CREATE INDEX outbox_pending_coalesce ON outbox (coalesce_key) WHERE status = 'pending';
  CREATE INDEX outbox_pending_due ON outbox (next_attempt_at) WHERE status = 'pending';

  CREATE TABLE chat_messages (
    surface     TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    incident_id INTEGER NOT NULL,
    ref         TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (surface, message_id)
  );
  CREATE UNIQUE INDEX chat_messages_incident ON chat_messages (incident_id, surface);

  CREATE TABLE console_messages (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    channel    TEXT    NOT NULL,
    thread_id  TEXT,
    author     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    card       TEXT
  );
  CREATE INDEX console_messages_channel ON console_messages (channel, seq);
  `,
  // Storm mode: incidents that open faster than a threshold share one storm card.
  `
  CREATE TABLE storms (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at       INTEGER NOT NULL,
    last_incident_at INTEGER NOT NULL,
    ended_at         INTEGER
  );
  -- At most one active storm: the database decides, as for open incidents.
  CREATE UNIQUE INDEX storms_one_active ON storms ((ended_at IS NULL)) WHERE ended_at IS NULL;

  CREATE TABLE storm_messages (
    storm_id   INTEGER NOT NULL REFERENCES storms (id),
    surface    TEXT    NOT NULL,
    ref        TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (storm_id, surface)
  );

  ALTER TABLE incidents ADD COLUMN storm_id INTEGER REFERENCES storms (id);
  CREATE INDEX incidents_storm ON incidents (storm_id, id) WHERE storm_id IS NOT NULL;
  CREATE INDEX incidents_opened ON incidents (opened_at);
  `,
  // Chat conversations the bot may post into on its own (Teams references), shared by replicas.
  `
  CREATE TABLE chat_conversations (
    surface    TEXT    NOT NULL,
    place_key  TEXT    NOT NULL,
    ref        TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (surface, place_key)
  );

  CREATE TABLE chat_oncall (
    surface   TEXT NOT NULL PRIMARY KEY,
    place_key TEXT NOT NULL
  );
  `,
  // Readiness commits here ("the store can commit"): a full disk or a read-only database fails it.
  `
  CREATE TABLE store_heartbeat (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    beat_at INTEGER NOT NULL
  );
  `,
  // The senders' own start and end of an incident (alert startsAt/endsAt), shown on cards.
  `
  ALTER TABLE incidents ADD COLUMN started_at INTEGER;
  ALTER TABLE incidents ADD COLUMN ended_at INTEGER;
  `,
  // The incident timeline: every event with who (platform-qualified) and the name people read.
  `
  ALTER TABLE incident_events RENAME TO timeline_events;
  ALTER TABLE timeline_events ADD COLUMN actor_name TEXT;
  UPDATE timeline_events SET actor_name = actor, actor = NULL WHERE actor IS NOT NULL AND actor <> 'bot';
  DROP INDEX incident_events_incident;
  CREATE INDEX timeline_events_incident ON timeline_events (incident_id, id);
  CREATE INDEX timeline_events_type ON timeline_events (type, incident_id);
  `,
  // The incident commander (/own), shown on the card.
  `
  ALTER TABLE incidents ADD COLUMN commander TEXT;
  `,
];
