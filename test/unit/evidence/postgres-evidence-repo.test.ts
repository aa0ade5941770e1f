import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresEvidenceRepo } from '../../../store/evidence/postgres-evidence-repo.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { describeEvidenceRepoContract } from './evidence-repo-contract.ts';

// Decided at collection time so that a machine without PostgreSQL skips (CI fails instead).
const db: TestDatabase | undefined = await createTestDatabase();

describe.skipIf(!db)('postgres evidence repo', () => {
  const database = db!;
  const open = () => openPostgresEvidenceRepo({ connectionString: database.url, poolSize: 2 });
  afterAll(() => database.drop());
  describeEvidenceRepoContract(
    'PostgreSQL',
    async () => Promise.all([open(), open()]),
    () => database.reset(),
  );
});

describe('opening the evidence repo on an unreachable database', () => {
  it('fails as unavailable without the password in the error', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const secret = 'evidence-db-pw-7f3a9c';
    const error = await openPostgresEvidenceRepo({
      connectionString: `postgresql://bot:${secret}@127.0.0.1:${port}/oncall`,
      connectTimeoutMs: 1_000,
    }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.name).toBe('StoreUnavailableError');
    const seen = [error?.message, error?.stack, JSON.stringify(error), String(error?.cause)].join('\n');
    expect(seen).not.toContain(secret);
  });
});
