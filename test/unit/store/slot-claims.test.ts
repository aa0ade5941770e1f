import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPostgresSlotClaims } from '../../../store/schedule/postgres-slot-claims.ts';
import type { SlotClaims } from '../../../store/schedule/slot-claims.ts';
import { openSqliteSlotClaims } from '../../../store/schedule/sqlite-slot-claims.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';

// Decided at collection time so that a machine without PostgreSQL skips (CI fails instead).
const db: TestDatabase | undefined = await createTestDatabase();

function describeSlotClaims(engine: string, open: () => Promise<SlotClaims[]>, reset: () => Promise<void>) {
  describe(`slot claims on ${engine}`, () => {
    let claims: SlotClaims[] = [];
    afterEach(async () => {
      await Promise.all(claims.map((c) => c.close()));
      await reset();
    });

    it('lets exactly one of several replicas claim a slot, each slot and job on its own', async () => {
      claims = await open();
      const results = await Promise.all(claims.map((c) => c.claim('executive-digest', 3_600_000, 1)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await claims[0]!.claim('executive-digest', 3_600_000, 2)).toBe(false);
      expect(await claims[1]!.claim('executive-digest', 7_200_000, 3)).toBe(true);
      expect(await claims[0]!.claim('capacity-digest', 3_600_000, 4)).toBe(true);
    });
  });
}

let dir = '';
describeSlotClaims(
  'SQLite',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'slot-claims-'));
    return [0, 1, 2].map(() => openSqliteSlotClaims(join(dir, 'bot.db')));
  },
  async () => rmSync(dir, { recursive: true, force: true }),
);

describe.skipIf(!db)('PostgreSQL', () => {
  const database = db!;
  afterAll(() => database.drop());
  describeSlotClaims(
    'PostgreSQL',
    () =>
      Promise.all(
        [0, 1, 2].map(() => openPostgresSlotClaims({ connectionString: database.url, poolSize: 1 })),
      ),
    () => database.reset(),
  );
});
