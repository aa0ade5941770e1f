import { EVIDENCE_PG_MIGRATIONS } from '../evidence/postgres-migrations.ts';
import { INVENTORY_PG_MIGRATIONS } from '../inventory/postgres-migrations.ts';
import { PAGING_PG_MIGRATIONS } from '../paging/postgres-migrations.ts';
import { REMEDIATION_PG_MIGRATIONS } from '../remediation/postgres-migrations.ts';
import { SLOT_PG_MIGRATIONS } from '../schedule/postgres-migrations.ts';
import { adoptedIds, HISTORY_TABLE, type LegacyHistory, type Migration, steps } from '../schema/migration.ts';
import type { Db } from './db.ts';
import { MIGRATIONS } from './migrations.ts';

/**
 * Every table of the PostgreSQL store, in the order a new database gets them. The module lists
 * are the ones each module's history applied before the store had one history; they are frozen
 * like any shipped migration. A new migration is appended here, as `store/<n>`.
 */
export const POSTGRES_SCHEMA: readonly Migration[] = [
  ...steps('core', MIGRATIONS),
  ...steps('evidence', EVIDENCE_PG_MIGRATIONS),
  ...steps('paging', PAGING_PG_MIGRATIONS),
  ...steps('remediation', REMEDIATION_PG_MIGRATIONS),
  ...steps('inventory', INVENTORY_PG_MIGRATIONS),
  ...steps('schedule', SLOT_PG_MIGRATIONS),
];

/** Where each module recorded its migrations before (`version` rows). */
const LEGACY: readonly LegacyHistory[] = [
  { module: 'core', table: 'schema_migrations' },
  { module: 'evidence', table: 'evidence_schema_migrations' },
  { module: 'paging', table: 'paging_schema_migrations' },
  { module: 'remediation', table: 'remediation_schema_migrations' },
  { module: 'inventory', table: 'inventory_schema_migrations' },
  { module: 'schedule', table: 'schedule_schema_migrations' },
];

/** The steps the old per-module histories had applied; their tables are dropped (one history). */
async function adoptLegacy(db: Db): Promise<string[]> {
  const ids: string[] = [];
  for (const { module, table } of LEGACY) {
    const [found] = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
    if (!found?.t) continue;
    const [row] = await db.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${table}`);
    ids.push(...adoptedIds(module, row?.v ?? 0));
    await db.query(`DROP TABLE ${table}`);
  }
  return ids;
}

/**
 * Brings the schema up to {@link POSTGRES_SCHEMA} on `db`, inside the caller's transaction (which
 * holds the migration lock). A database of an older version, with one history per module, is
 * adopted first, without touching its rows.
 */
export async function migratePostgres(db: Db, schema: readonly Migration[] = POSTGRES_SCHEMA): Promise<void> {
  const [exists] = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [HISTORY_TABLE]);
  if (!exists?.t) {
    await db.query(
      `CREATE TABLE ${HISTORY_TABLE} (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    for (const id of await adoptLegacy(db)) {
      await db.query(`INSERT INTO ${HISTORY_TABLE} (id) VALUES ($1)`, [id]);
    }
  }
  const applied = new Set(
    (await db.query<{ id: string }>(`SELECT id FROM ${HISTORY_TABLE}`)).map((r) => r.id),
  );
  for (const step of schema) {
    if (applied.has(step.id)) continue;
    await db.query(step.sql);
    await db.query(`INSERT INTO ${HISTORY_TABLE} (id) VALUES ($1)`, [step.id]);
  }
}
