import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresEvidenceRepo } from '../../../store/evidence/postgres-evidence-repo.ts';
import { openSqliteEvidenceRepo } from '../../../store/evidence/sqlite-evidence-repo.ts';
import { openPostgresPagingRepo } from '../../../store/paging/postgres-paging-repo.ts';
import { openSqlitePagingRepo } from '../../../store/paging/sqlite-paging-repo.ts';
import { openPostgresStore } from '../../../store/postgres/postgres-store.ts';
import { openPostgresRemediationRepo } from '../../../store/remediation/postgres-remediation-repo.ts';
import { openSqliteRemediationRepo } from '../../../store/remediation/sqlite-remediation-repo.ts';
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

/** Opens every module's tables the way the bot does today, which migrates them. */
function openSqliteStores(path: string): Promise<void>[] {
  return [
    openSqliteStore({ path }).close(),
    openSqliteEvidenceRepo(path).close(),
    openSqlitePagingRepo(path).close(),
    openSqliteRemediationRepo(path).close(),
  ];
}

async function openPostgresStores(url: string): Promise<void> {
  await (await openPostgresStore({ connectionString: url, poolSize: 1 })).close();
  await (await openPostgresEvidenceRepo({ connectionString: url, poolSize: 1 })).close();
  await (await openPostgresPagingRepo({ connectionString: url, poolSize: 1 })).close();
  await (await openPostgresRemediationRepo({ connectionString: url, poolSize: 1 })).close();
}

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
  });
});
