import { afterAll, describe } from 'vitest';
import { openPostgresPagingRepo } from '../../../store/paging/postgres-paging-repo.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { describePagingRepoContract } from './paging-repo-contract.ts';

// Decided at collection time so that a machine without PostgreSQL skips (CI fails instead).
const db: TestDatabase | undefined = await createTestDatabase();

describe.skipIf(!db)('postgres paging repo', () => {
  const database = db!;
  const open = () => openPostgresPagingRepo({ connectionString: database.url, poolSize: 2 });
  afterAll(() => database.drop());
  describePagingRepoContract(
    'PostgreSQL',
    async () => Promise.all([open(), open()]),
    () => database.reset(),
  );
});
