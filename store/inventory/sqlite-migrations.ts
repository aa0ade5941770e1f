/** The table of the shared inventory in SQLite. Never edit a shipped migration. */
export const INVENTORY_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE discovered_inventory (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    inventory     TEXT NOT NULL,
    discovered_at INTEGER NOT NULL
  );
  `,
];
