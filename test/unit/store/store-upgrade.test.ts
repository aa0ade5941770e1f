import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../store/postgres/postgres-store.ts';
import { POSTGRES_SCHEMA } from '../../../store/postgres/schema.ts';
import { SQLITE_SCHEMA } from '../../../store/sqlite/schema.ts';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';

// Databases as the store left them before it moved to one handle and one migration history per
// engine: every table of the four stores (core, evidence, paging, remediation) at its last
// migration, with a row in each. Frozen: never regenerate these from newer code. Opening them
// with whatever the store is now must migrate them without losing a row or a sequence position.
// Made at commit 0eb364c: each store opened on an empty database (its migrations ran), one row per
// table (values typed by column, ids 1, no foreign key dangling), then `sqlite3 .dump` (plus the
// user_version it omits) and `pg_dump --column-inserts` (sequences marked used).
const FIXTURES = new URL('../../fixtures/store-before-kysely/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/** Migration bookkeeping may be rewritten by an upgrade; every other table is data. */
const BOOKKEEPING = /schema/;

type Snapshot = Record<string, string[]>;

function sqliteSnapshot(path: string): Snapshot {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[];
    const snapshot: Snapshot = {};
    for (const { name } of tables) {
      if (BOOKKEEPING.test(name)) continue;
      const rows = db.prepare(`SELECT * FROM "${name}"`).all();
      snapshot[name] = rows.map((row) => JSON.stringify(row)).sort();
    }
    return snapshot;
  } finally {
    db.close();
  }
}

async function postgresSnapshot(url: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    const snapshot: Snapshot = {};
    for (const { name } of tables.rows) {
      if (BOOKKEEPING.test(name)) continue;
      const rows = await client.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM "${name}" t`);
      snapshot[name] = rows.rows.map((r) => r.row).sort();
    }
    // Identity columns: an upgrade that reset them would hand out ids the old rows hold.
    const sequences = await client.query<{ name: string; last: string | null }>(
      "SELECT sequencename AS name, last_value::text AS last FROM pg_sequences WHERE schemaname = 'public'",
    );
    snapshot['(sequences)'] = sequences.rows.map((s) => `${s.name}=${s.last}`).sort();
    return snapshot;
  } finally {
    await client.end();
  }
}

/**
 * Tables a later migration renamed, with what it did to their rows: `incident_events` became the
 * timeline, whose actor names moved to `actor_name` (they were names, not platform-qualified ids).
 */
const RENAMED: Record<
  string,
  { to: string; row: (row: Record<string, unknown>) => Record<string, unknown> }
> = {
  incident_events: {
    to: 'timeline_events',
    row: (r) =>
      r.actor === null || r.actor === 'bot'
        ? { ...r, actor_name: null }
        : { ...r, actor: null, actor_name: r.actor },
  },
};

/** Columns later migrations added, with the value every old row gets. */
const ADDED: Record<string, Record<string, unknown>> = { incidents: { commander: null } };

/** Every table's rows survived the upgrade, renamed tables under their new names. */
function expectRowsKept(before: Snapshot, after: Snapshot): void {
  const parsed = (rows: string[] | undefined) =>
    (rows ?? [])
      .map((r) => JSON.parse(r) as Record<string, unknown>)
      .sort((a, b) => Number(a.id) - Number(b.id));
  for (const [table, rows] of Object.entries(before)) {
    const renamed = RENAMED[table];
    if (table === 'sqlite_sequence') {
      // A renamed table keeps its id counter, under its new name.
      const counters = parsed(rows).map((r) => ({ ...r, name: RENAMED[String(r.name)]?.to ?? r.name }));
      expect(parsed(after[table]).sort(byName), table).toEqual(counters.sort(byName));
    } else if (ADDED[table]) {
      expect(parsed(after[table]), table).toEqual(parsed(rows).map((r) => ({ ...r, ...ADDED[table] })));
    } else if (!renamed) {
      expect(after[table], table).toEqual(rows);
    } else {
      expect(after[table], `${table} renamed`).toBeUndefined();
      expect(parsed(after[renamed.to]), renamed.to).toEqual(parsed(rows).map(renamed.row));
    }
  }
}

const byName = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a.name).localeCompare(String(b.name));

function expectEveryTableFilled(snapshot: Snapshot, atLeast: number): void {
  const tables = Object.keys(snapshot).filter((t) => !t.startsWith('('));
  expect(tables.length).toBeGreaterThanOrEqual(atLeast);
  for (const table of tables) expect(snapshot[table], table).not.toHaveLength(0);
}

/** Opens the one store, which migrates every module's tables. */
function openSqliteStores(path: string): Promise<void>[] {
  return [openSqliteStore({ path }).close()];
}

async function openPostgresStores(url: string): Promise<void> {
  await (await openPostgresStore({ connectionString: url, poolSize: 1 })).close();
}

/** Tables and indexes, which a fresh database and an upgraded one must have alike. */
function sqliteShape(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const objects = db
      .prepare("SELECT type, name, tbl_name AS tbl FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
      .all() as { type: string; name: string; tbl: string }[];
    const columns = objects
      .filter((o) => o.type === 'table')
      .flatMap((o) =>
        (db.pragma(`table_info("${o.name}")`) as { name: string; type: string; notnull: number }[]).map(
          (c) => `${o.name}.${c.name} ${c.type} ${c.notnull}`,
        ),
      );
    return [...objects.map((o) => `${o.type} ${o.name} on ${o.tbl}`), ...columns].sort();
  } finally {
    db.close();
  }
}

async function postgresShape(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query<{ c: string }>(
      `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS c
       FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const indexes = await client.query<{ c: string }>(
      "SELECT 'index ' || indexname || ' on ' || tablename AS c FROM pg_indexes WHERE schemaname = 'public'",
    );
    return [...columns.rows, ...indexes.rows].map((r) => r.c).sort();
  } finally {
    await client.end();
  }
}

/** The one history's rows: every step of the schema, whether adopted or applied. */
const historyIds = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

describe('sqlite upgrade from the databases before the single store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every row of every table and every id counter', async () => {
    const path = join(dir, 'bot.db');
    const db = new Database(path);
    db.exec(fixture('sqlite.sql'));
    db.close();
    const before = sqliteSnapshot(path);
    expectEveryTableFilled(before, 26);

    await Promise.all(openSqliteStores(path));
    // Twice: a second start finds everything migrated and changes nothing either.
    await Promise.all(openSqliteStores(path));

    expectRowsKept(before, sqliteSnapshot(path));

    // One history, adopted from the four: the same steps and shape as a database made new.
    const fresh = join(dir, 'fresh.db');
    await openSqliteStore({ path: fresh }).close();
    expect(sqliteShape(path)).toEqual(sqliteShape(fresh));
    const history = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return historyIds(db.prepare('SELECT id FROM store_schema_migrations').all() as { id: string }[]);
      } finally {
        db.close();
      }
    };
    expect(history(path)).toEqual(history(fresh));
    expect(history(path)).toEqual(SQLITE_SCHEMA.map((m) => m.id).sort());
  });
});

const database: TestDatabase | undefined = await createTestDatabase();

describe.skipIf(!database)('postgres upgrade from the schema before the single store', () => {
  afterAll(() => database!.drop());

  it('keeps every row of every table and every sequence position', async () => {
    const { url } = database!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(fixture('postgres.sql'));
    await client.end();
    const before = await postgresSnapshot(url);
    expectEveryTableFilled(before, 26);

    await openPostgresStores(url);
    await openPostgresStores(url);

    const after = await postgresSnapshot(url);
    // The identity sequence keeps its name across the rename: its position is what matters.
    expectRowsKept(before, after);

    // One history, adopted from the four: the same steps and shape as a database made new.
    const fresh = await createTestDatabase();
    try {
      await openPostgresStores(fresh!.url);
      expect(await postgresShape(url)).toEqual(await postgresShape(fresh!.url));
      const history = async (at: string) => {
        const client = new pg.Client({ connectionString: at });
        await client.connect();
        try {
          return historyIds(
            (await client.query<{ id: string }>('SELECT id FROM store_schema_migrations')).rows,
          );
        } finally {
          await client.end();
        }
      };
      expect(await history(url)).toEqual(await history(fresh!.url));
      expect(await history(url)).toEqual(POSTGRES_SCHEMA.map((m) => m.id).sort());
    } finally {
      await fresh?.drop();
    }
  });
});
