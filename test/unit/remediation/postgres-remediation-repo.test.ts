import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAuditHead, verifyAuditChain } from '../../../core/remediation/audit.ts';
import { verifyAuditDatabase } from '../../../scripts/audit-verify.ts';
import { openPostgresRemediationRepo } from '../../../store/remediation/postgres-remediation-repo.ts';
import type { RemediationRepo } from '../../../store/remediation/remediation-repo.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { describeRemediationRepo, newProposal, T0 } from './remediation-repo-suite.ts';

// Decided at collection time so that a machine without PostgreSQL skips (CI fails instead).
const db: TestDatabase | undefined = await createTestDatabase();

const TABLES =
  'remediation_approvals, remediation_executions, remediation_audit, remediation_audit_head, remediation_settings, remediation_messages, remediation_proposals';

describe.skipIf(!db)('postgres remediation repo', () => {
  const database = db!;
  const open = () => openPostgresRemediationRepo({ connectionString: database.url, poolSize: 4 });
  /**
   * TRUNCATE, not the helper's reset: it keeps `remediation_schema_migrations` (so the next pool
   * does not migrate again) and restarts ids, and it bypasses the append-only DELETE trigger.
   */
  async function reset(): Promise<void> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`TRUNCATE ${TABLES} RESTART IDENTITY`);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await (await open()).close();
  });
  afterAll(() => database.drop());

  describeRemediationRepo('postgres', open, reset);

  describe('two replicas on one database', () => {
    let a: RemediationRepo;
    let b: RemediationRepo;
    beforeEach(async () => {
      [a, b] = await Promise.all([open(), open()]);
    });
    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
      await reset();
    });

    it('executes a proposal exactly once when approvals and claims race on two pools', async () => {
      for (let round = 0; round < 10; round++) {
        const p = await a.createProposal(newProposal({ planHash: `${round}`.padStart(64, 'a') }), {
          at: T0,
          actor: 'console:alice',
          event: 'proposed',
        });
        // Two people approve at the same moment on two replicas; then every replica clicks twice.
        const approvals = await Promise.all([
          a.recordApproval({ proposalId: p.id, approver: 'console:bob', planHash: p.planHash, at: T0 + 1 }),
          b.recordApproval({ proposalId: p.id, approver: 'slack:U1', planHash: p.planHash, at: T0 + 1 }),
        ]);
        expect(approvals.filter((o) => o.kind === 'approved')).toHaveLength(1);
        expect(approvals.filter((o) => o.kind === 'refused' && o.code === 'NOT_PENDING')).toHaveLength(1);
        const claims = await Promise.all(
          [a, b, a, b].map((repo, i) => repo.claimExecution(p.id, `replica-${i}`, T0 + 2)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect((await b.getProposal(p.id))?.status).toBe('executing');
      }
      expect(await a.countExecutions('scale-replicas', T0)).toBe(10);
      const chain = await b.readAuditChain();
      expect(verifyAuditChain(chain)).toEqual({ ok: true, count: chain.length });
      expect(chain.filter((r) => r.event === 'execution-started')).toHaveLength(10);
    });

    it('keeps one unbroken audit chain while both replicas append at once', async () => {
      const appends = Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).appendAudit({ at: T0 + i, actor: `console:u${i}`, event: 'remediation-on' }),
      );
      const records = await Promise.all(appends);
      expect(new Set(records.map((r) => r.seq)).size).toBe(40);
      const chain = await a.readAuditChain();
      expect(chain.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(verifyAuditChain(chain)).toEqual({ ok: true, count: 40 });
    });

    it('proposes one plan once when two replicas get the same double click', async () => {
      const audit = { at: T0, actor: 'console:alice', event: 'proposed' as const };
      const made = await Promise.all([a, b, a, b].map((repo) => repo.createProposal(newProposal(), audit)));
      expect(new Set(made.map((p) => p.id)).size).toBe(1);
      expect((await a.readAuditChain()).map((r) => r.event)).toEqual(['proposed']);
    });

    it('refuses to edit or delete audit records', async () => {
      await a.appendAudit({ at: T0, actor: 'bot', event: 'remediation-off' });
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await expect(client.query("UPDATE remediation_audit SET actor = 'x'")).rejects.toThrow(/append-only/);
        await expect(client.query('DELETE FROM remediation_audit')).rejects.toThrow(/append-only/);
      } finally {
        await client.end();
      }
      expect(verifyAuditChain(await b.readAuditChain())).toEqual({ ok: true, count: 1 });
    });

    it('npm run audit:verify checks the chain in DATABASE_URL and finds a record altered behind the triggers', async () => {
      await a.appendAudit({ at: T0, actor: 'console:alice', event: 'remediation-off' });
      await b.appendAudit({ at: T0 + 1, actor: 'console:bob', event: 'remediation-on' });
      expect(await verifyAuditDatabase(database.url)).toEqual({
        code: 0,
        text: expect.stringMatching(/^audit:verify: OK, 2 records, chain intact \(head 2:[0-9a-f]{64}\)$/),
      });
      // Someone with the table owner's rights switches the triggers off and rewrites history.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query('ALTER TABLE remediation_audit DISABLE TRIGGER remediation_audit_no_change');
        await client.query("UPDATE remediation_audit SET actor = 'console:mallory' WHERE seq = 1");
        await client.query('ALTER TABLE remediation_audit ENABLE TRIGGER remediation_audit_no_change');
      } finally {
        await client.end();
      }
      const broken = await verifyAuditDatabase(database.url);
      expect(broken.code).toBe(1);
      expect(broken.text).toMatch(/^audit:verify: BROKEN at record 1/);
    });

    it('audit:verify finds the last record deleted, against the head row and against a given head', async () => {
      for (let i = 0; i < 3; i++) await a.appendAudit({ at: T0 + i, actor: 'bot', event: 'remediation-on' });
      const head = await b.auditHead();
      const last = (await b.readAuditChain()).at(-1)!;
      expect(head).toEqual({ seq: 3, hash: last.hash });
      const given = parseAuditHead(`3:${last.hash}`);
      expect((await verifyAuditDatabase(database.url, given)).code).toBe(0);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query('ALTER TABLE remediation_audit DISABLE TRIGGER remediation_audit_no_change');
        await client.query('DELETE FROM remediation_audit WHERE seq = 3');
        await client.query('ALTER TABLE remediation_audit ENABLE TRIGGER remediation_audit_no_change');
      } finally {
        await client.end();
      }
      // The remaining chain links up on its own; the head row no longer matches its end.
      expect(verifyAuditChain(await b.readAuditChain())).toEqual({ ok: true, count: 2 });
      expect(await verifyAuditDatabase(database.url)).toEqual({
        code: 1,
        text: 'audit:verify: BROKEN at record 3: missing: the chain ends at record 2 but the head row is record 3 (records were deleted)',
      });
      // Whoever also rewinds the head row is still caught by the head printed in logs and cards.
      const rewind = new pg.Client({ connectionString: database.url });
      await rewind.connect();
      try {
        await rewind.query('UPDATE remediation_audit_head SET seq = 2, hash = $1', [last.prevHash]);
      } finally {
        await rewind.end();
      }
      expect((await verifyAuditDatabase(database.url)).code).toBe(0);
      expect(await verifyAuditDatabase(database.url, given)).toMatchObject({
        code: 1,
        text: expect.stringContaining('the given head 3:'),
      });
    });
  });
});
