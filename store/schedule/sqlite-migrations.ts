/** The slot claims in SQLite. Never edit a shipped migration; add one. */
export const SLOT_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE scheduled_slots (
    job        TEXT NOT NULL,
    slot       INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (job, slot)
  );
  `,
];
