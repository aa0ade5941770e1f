import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgresStore } from '../../../store/postgres/postgres-store.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { describePostgresConcurrency } from './postgres-concurrency.ts';
import { describePostgresOutage } from './postgres-outage.ts';
import { describeStoreContract } from './store-contract.ts';

// Decided at collection time so that a machine without PostgreSQL skips (CI fails instead).
const db: TestDatabase | undefined = await createTestDatabase();

describe.skipIf(!db)('postgres store', () => {
  const database = db!;
  const open = () => openPostgresStore({ connectionString: database.url, poolSize: 4 });

  beforeAll(async () => {
    // Migrate once up front; every store opened later finds the schema in place.
    await (await open()).close();
  });
  afterAll(() => database.drop());

  describeStoreContract('postgres', open, async (store) => {
    await store.close();
    await database.reset();
  });
  describePostgresConcurrency(open, () => database.reset());
  describePostgresOutage(() => database);
});
