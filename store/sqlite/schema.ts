import type Database from 'better-sqlite3';
import { EVIDENCE_MIGRATIONS } from '../evidence/sqlite-migrations.ts';
import { INVENTORY_MIGRATIONS } from '../inventory/sqlite-migrations.ts';
import { PAGING_MIGRATIONS } from '../paging/sqlite-migrations.ts';
import { REMEDIATION_MIGRATIONS } from '../remediation/sqlite-migrations.ts';
import { SLOT_MIGRATIONS } from '../schedule/sqlite-migrations.ts';
import { adoptedIds, HISTORY_TABLE, type LegacyHistory, type Migration, steps } from '../schema/migration.ts';
import { MIGRATIONS } from './migrations.ts';

/**
 * Every table of the SQLite store, in the order a new database gets them. The module lists are
 * the ones each module's history applied before the store had one history; they are frozen like
 * any shipped migration. A new migration is appended here, as `store/<n>`.
 */
export const SQLITE_SCHEMA: readonly Migration[] = [
  ...steps('core', MIGRATIONS),
  ...steps('evidence', EVIDENCE_MIGRATIONS),
  ...steps('paging', PAGING_MIGRATIONS),
  ...steps('remediation', REMEDIATION_MIGRATIONS),
  ...steps('inventory', INVENTORY_MIGRATIONS),
  ...steps('schedule', SLOT_MIGRATIONS),
];

/** Where each module recorded its migrations before (core in `PRAGMA user_version`). */
const LEGACY: readonly LegacyHistory[] = [
  { module: 'core', table: null },
  { module: 'evidence', table: 'evidence_schema' },
  { module: 'paging', table: 'paging_schema' },
  { module: 'remediation', table: 'remediation_schema' },
  { module: 'inventory', table: 'inventory_schema' },
  { module: 'schedule', table: 'schedule_schema' },
];

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * The steps the old per-module histories had applied, which the one history takes over; their
 * tables are dropped, so there is one history from then on.
 */
function adoptLegacy(db: Database.Database): string[] {
  const ids: string[] = [];
  for (const { module, table } of LEGACY) {
    if (table === null) {
      ids.push(...adoptedIds(module, db.pragma('user_version', { simple: true }) as number));
      db.pragma('user_version = 0');
    } else if (tableExists(db, table)) {
      const row = db.prepare(`SELECT max(version) AS version FROM ${table}`).get() as {
        version: number | null;
      };
      ids.push(...adoptedIds(module, row.version ?? 0));
      db.exec(`DROP TABLE ${table}`);
    }
  }
  return ids;
}

/**
 * Brings a SQLite database up to {@link SQLITE_SCHEMA} in one immediate transaction: processes
 * starting together migrate one after the other (start-up may wait on the lock). A database of an
 * older version, with one history per module, is adopted first, without touching its rows.
 */
export function migrateSqlite(db: Database.Database, schema: readonly Migration[] = SQLITE_SCHEMA): void {
  db.transaction(() => {
    const adopting = !tableExists(db, HISTORY_TABLE);
    if (adopting) {
      db.exec(
        `CREATE TABLE ${HISTORY_TABLE} (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
      );
    }
    const record = db.prepare(`INSERT INTO ${HISTORY_TABLE} (id) VALUES (?)`);
    if (adopting) for (const id of adoptLegacy(db)) record.run(id);
    const applied = new Set(
      (db.prepare(`SELECT id FROM ${HISTORY_TABLE}`).all() as { id: string }[]).map((r) => r.id),
    );
    for (const step of schema) {
      if (applied.has(step.id)) continue;
      db.exec(step.sql);
      record.run(step.id);
    }
  }).immediate();
}
