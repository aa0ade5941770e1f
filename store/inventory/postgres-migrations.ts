/** The same table as the SQLite one, with bigint milliseconds. Never edit a shipped migration. */
export const INVENTORY_PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE discovered_inventory (
    id            integer PRIMARY KEY CHECK (id = 1),
    inventory     text NOT NULL,
    discovered_at bigint NOT NULL
  );
  `,
];
