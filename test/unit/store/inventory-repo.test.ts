import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { InventoryRepo } from '../../../store/inventory/inventory-repo.ts';
import { openPostgresInventoryRepo } from '../../../store/inventory/postgres-inventory-repo.ts';
import { openSqliteInventoryRepo } from '../../../store/inventory/sqlite-inventory-repo.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';

// Decided at collection time so that a machine without PostgreSQL skips (CI fails instead).
const db: TestDatabase | undefined = await createTestDatabase();

/** Two handles on one database, as two replicas have. */
function describeInventoryRepo(
  engine: string,
  open: () => Promise<[InventoryRepo, InventoryRepo]>,
  reset: () => Promise<void>,
) {
  describe(`the shared inventory on ${engine}`, () => {
    let repos: InventoryRepo[] = [];
    afterEach(async () => {
      await Promise.all(repos.map((r) => r.close()));
      await reset();
    });

    it('is empty until a replica saves one, then every replica reads the latest', async () => {
      const [a, b] = await open();
      repos = [a, b];
      expect(await b.latest()).toBeUndefined();
      await a.save({ json: '{"deployments":["gpt-4o-prod-eastus"]}', discoveredAt: 1_000 });
      expect(await b.latest()).toEqual({
        json: '{"deployments":["gpt-4o-prod-eastus"]}',
        discoveredAt: 1_000,
      });
      await b.save({ json: '{"deployments":["gpt-4o-prod-eastus","o3-mini-swc"]}', discoveredAt: 2_000 });
      expect((await a.latest())?.discoveredAt).toBe(2_000);
    });

    it('never replaces a later discovery with an earlier one (replicas racing)', async () => {
      const [a, b] = await open();
      repos = [a, b];
      await a.save({ json: '{"teams":["new"]}', discoveredAt: 5_000 });
      await b.save({ json: '{"teams":["old"]}', discoveredAt: 4_000 });
      expect(await a.latest()).toEqual({ json: '{"teams":["new"]}', discoveredAt: 5_000 });
    });
  });
}

let dir = '';
describeInventoryRepo(
  'SQLite',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'inventory-repo-'));
    return [openSqliteInventoryRepo(join(dir, 'bot.db')), openSqliteInventoryRepo(join(dir, 'bot.db'))];
  },
  async () => rmSync(dir, { recursive: true, force: true }),
);

describe.skipIf(!db)('PostgreSQL', () => {
  const database = db!;
  const open = () => openPostgresInventoryRepo({ connectionString: database.url, poolSize: 2 });
  afterAll(() => database.drop());
  describeInventoryRepo(
    'PostgreSQL',
    async () => Promise.all([open(), open()]),
    () => database.reset(),
  );
});
