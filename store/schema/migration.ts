/**
 * One step of the store's schema. `id` names it in the one migration history of an engine
 * (`store_schema_migrations`): `<module>/<n>` for the steps each module's own history recorded
 * before the store had one, so a database made by those histories is adopted step by step.
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/** A module's ordered migrations as steps of the one history, numbered from 1 as it numbered them. */
export function steps(module: string, migrations: readonly string[]): Migration[] {
  return migrations.map((sql, i) => ({ id: `${module}/${i + 1}`, sql }));
}

/**
 * A history kept before the one store: how many of `module`'s steps were applied is in `table`
 * (`version` column; SQLite's core store used `PRAGMA user_version`, named by table `null`).
 */
export interface LegacyHistory {
  readonly module: string;
  readonly table: string | null;
}

/** The name of the one migration history table, on both engines. */
export const HISTORY_TABLE = 'store_schema_migrations';

/** The ids an old history of `module` that reached `version` had applied. */
export function adoptedIds(module: string, version: number): string[] {
  return Array.from({ length: version }, (_, i) => `${module}/${i + 1}`);
}
