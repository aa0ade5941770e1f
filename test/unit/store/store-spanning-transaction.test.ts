import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPlan } from '../../../core/remediation/plan.ts';
import type { BotStore } from '../../../store/bot-store.ts';
import { openPostgresStore } from '../../../store/postgres/postgres-store.ts';
import type { Transition } from '../../../store/remediation/remediation-repo.ts';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { newProposal, T0 } from '../remediation/remediation-repo-suite.ts';
import { anIncident } from './store-fixtures.ts';

/** A proposal whose execution is under way, on an incident of its own. */
async function executing(store: BotStore) {
  const incident = await store.incidents.create(anIncident());
  const proposal = newProposal({ incidentId: incident.id });
  const p = await store.remediation.createProposal(proposal, {
    at: T0,
    actor: 'console:alice',
    event: 'proposed',
  });
  await store.remediation.recordApproval({
    proposalId: p.id,
    approver: 'console:bob',
    planHash: hashPlan(proposal.plan),
    at: T0 + 1000,
  });
  const claimed = await store.remediation.claimExecution(p.id, 'console:bob', T0 + 2000);
  expect(claimed?.status).toBe('executing');
  return { incidentId: incident.id, proposalId: p.id };
}

const succeeded = (proposalId: number, incidentId: number): Transition => ({
  from: ['executing'],
  to: 'succeeded',
  at: T0 + 3000,
  result: { ok: true, detail: ['verified'] },
  audit: {
    at: T0 + 3000,
    actor: 'bot',
    event: 'verified',
    proposalId,
    incidentId,
    actionId: 'scale-replicas',
  },
});

/**
 * One transaction across modules: a remediation's outcome (its state, execution row and audit
 * record) and the incident's timeline event commit together, or neither does.
 */
function describeSpanningTransaction(
  engine: string,
  open: () => Promise<BotStore>,
  reset: () => Promise<void>,
) {
  describe(`a transaction spanning remediation and the timeline (${engine})`, () => {
    let store: BotStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
      await reset();
    });

    it('commits the outcome and the timeline event together', async () => {
      const { incidentId, proposalId } = await executing(store);
      await store.transaction(async (tx) => {
        expect((await tx.remediation.transition(proposalId, succeeded(proposalId, incidentId)))?.status).toBe(
          'succeeded',
        );
        await tx.incidents.addEvent({
          incidentId,
          at: T0 + 3000,
          type: 'remediation-succeeded',
          actor: 'bot',
          detail: `#${proposalId}`,
        });
      });
      expect((await store.remediation.getProposal(proposalId))?.status).toBe('succeeded');
      expect(await store.remediation.countVerifiedRuns('scale-replicas')).toBe(1);
      const { events } = await store.timeline.list(incidentId, 10);
      expect(events.map((e) => e.type)).toContain('remediation-succeeded');
    });

    it('rolls the outcome back when the timeline event fails', async () => {
      const { incidentId, proposalId } = await executing(store);
      const chain = await store.remediation.readAuditChain();
      await expect(
        store.transaction(async (tx) => {
          await tx.remediation.transition(proposalId, succeeded(proposalId, incidentId));
          // No such incident: the timeline refuses the event, and the whole unit is undone.
          await tx.timeline.record({
            incidentId: incidentId + 1000,
            at: T0 + 3000,
            type: 'remediation-succeeded',
            actor: 'bot',
            actorName: null,
            detail: '',
          });
        }),
      ).rejects.toThrow();
      expect((await store.remediation.getProposal(proposalId))?.status).toBe('executing');
      expect(await store.remediation.countVerifiedRuns('scale-replicas')).toBe(0);
      expect(await store.remediation.readAuditChain()).toEqual(chain);
      expect((await store.remediation.auditHead())?.seq).toBe(chain.length);
      expect((await store.timeline.list(incidentId, 10)).events.map((e) => e.type)).not.toContain(
        'remediation-succeeded',
      );
    });
  });
}

describeSpanningTransaction(
  'sqlite',
  async () => openSqliteStore({ path: ':memory:' }),
  async () => undefined,
);

const database: TestDatabase | undefined = await createTestDatabase();
describe.skipIf(!database)('postgres', () => {
  afterAll(() => database!.drop());
  describeSpanningTransaction(
    'postgres',
    () => openPostgresStore({ connectionString: database!.url, poolSize: 2 }),
    () => database!.reset(),
  );
});
