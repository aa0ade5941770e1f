import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../../bot/inbound/dispatcher.ts';
import { LOCAL_APIM_POLICY, simulatedBackendPools } from '../../../bot/local-mode.ts';
import { createLogger } from '../../../bot/logger.ts';
import { defaultPolicy } from '../../../bot/policy.ts';
import { REMEDIATION_VERBS } from '../../../cards/templates/remediation-proposal.ts';
import type { ChatUser } from '../../../core/chat-surface.ts';
import { ManualClock } from '../../../core/clock.ts';
import type { Message } from '../../../core/message.ts';
import { createApprovalHandlers } from '../../../handlers/approvals/approval-handlers.ts';
import { SIM_APIM, simulatedApimBackendPools } from '../../../sim/azure/apim-backend-pool.ts';
import { startTestBot, type TestBot } from '../../helpers/test-bot.ts';
import { alice, bob, type FlowHarness, postedText, startFlow } from './harness.ts';

const where = { surface: 'console' as const, channel: 'oncall', thread: null };
const cardRef = { surface: 'console' as const, channel: 'oncall', id: 'msg-1', extra: {} };

/** Local mode's shift-backend-pool: the chat path against the simulated gateway's pool. */
describe('shift-backend-pool in local mode, against the simulated API Management pool', () => {
  let h: FlowHarness;
  let sim: ReturnType<typeof simulatedApimBackendPools>;
  let dispatcher: Dispatcher;
  beforeEach(async () => {
    sim = simulatedApimBackendPools();
    h = await startFlow({ apim: LOCAL_APIM_POLICY }, { backendPools: simulatedBackendPools(sim) });
    const { commands, buttons } = createApprovalHandlers(h.service);
    dispatcher = createDispatcher({
      commands,
      buttons,
      handlerDeps: { store: h.store, policy: defaultPolicy(), clock: h.sim.clock, targets: [] },
      logger: createLogger({ level: 'silent' }),
      onQueued: () => undefined,
    });
  });
  afterEach(() => h.close());

  const command = (user: ChatUser, args: string): Promise<Message> =>
    dispatcher.dispatch({ kind: 'command', name: 'remediate', args, user, place: where });
  const approve = (user: ChatUser, data: Record<string, unknown>): Promise<Message> =>
    dispatcher.dispatch({
      kind: 'action',
      verb: REMEDIATION_VERBS.approve,
      data,
      user,
      place: where,
      message: cardRef,
    });

  it('/remediate shift-backend-pool proposes from chat; approved by another person it moves the traffic', async () => {
    const card = await command(alice, `shift-backend-pool pool=${SIM_APIM.pool} percent=30`);
    expect(card.header?.title).toBe('Remediation #1: Shift traffic in the API Management backend pool');
    const p = (await h.repo.getProposal(1))!;
    expect(p.plan.diff).toEqual([
      'gpt-4o-eastus2: priority 1, weight 100 → 70 (100% → 70% of traffic)',
      'gpt-4o-swedencentral: priority 2 → 1, weight 100 → 30 (0% → 30% of traffic)',
    ]);
    const button = card.actions.find((a) => a.verb === REMEDIATION_VERBS.approve)!;
    await approve(bob, button.data);
    await h.service.idle();
    expect((await h.repo.getProposal(1))?.status).toBe('succeeded');
    expect((await sim.get(SIM_APIM.pool)).services.map((s) => [s.priority, s.weight])).toEqual([
      [1, 70],
      [1, 30],
    ]);
  });

  it('a pool written by someone else after the approval: 412 voids it, and the new plan starts from their weights', async () => {
    const card = await command(alice, `shift-backend-pool pool=${SIM_APIM.pool} percent=30`);
    const button = card.actions.find((a) => a.verb === REMEDIATION_VERBS.approve)!;
    // The other writer lands between the re-plan and the PATCH: only If-Match can catch it.
    const update = sim.update.bind(sim);
    let raced = false;
    sim.update = async (pool, services, ifMatch) => {
      if (!raced) {
        raced = true;
        const now = await sim.get(pool);
        await update(
          pool,
          [
            { ...now.services[0]!, weight: 90 },
            { ...now.services[1]!, priority: 1, weight: 10 },
          ],
          now.etag,
        );
      }
      return update(pool, services, ifMatch);
    };
    await approve(bob, button.data);
    await h.service.idle();
    expect((await h.repo.getProposal(1))?.status).toBe('void');
    expect(postedText(h.posted)).toContain('(412 Precondition Failed)');
    expect((await sim.get(SIM_APIM.pool)).services.map((s) => s.weight)).toEqual([90, 10]);
    const next = (await h.repo.listProposals({ limit: 5 })).find((x) => x.supersedes === 1);
    expect(next?.plan.diff[0]).toBe('gpt-4o-eastus2: priority 1, weight 90 → 70 (90% → 70% of traffic)');
  });

  it('refuses a pool the local policy does not name', async () => {
    const refused = await command(alice, 'shift-backend-pool pool=other-pool percent=30');
    expect(JSON.stringify(refused)).toContain(
      `Refused by guardrail: backend pool \\"other-pool\\" is not one the policy allows (${SIM_APIM.pool}).`,
    );
  });
});

describe('the local bot offers shift-backend-pool on the simulated gateway', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({}, new ManualClock(Date.now()), { localPlatform: true });
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
  }, 60_000);

  it('plans from the simulated pool with its ETag and passes the dry run', async () => {
    const reply = await bot.say(`/remediate shift-backend-pool pool=${SIM_APIM.pool} percent=30`);
    const card = JSON.stringify(reply.card);
    expect(card).toContain('Shift traffic in the API Management backend pool');
    expect(card).toContain('gpt-4o-swedencentral: priority 2 → 1, weight 100 → 30 (0% → 30% of traffic)');
    expect(card).toContain('pool aoai-gpt-4o-pool unchanged since it was read');
  }, 30_000);
});
