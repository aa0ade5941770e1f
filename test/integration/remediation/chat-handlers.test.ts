import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../../bot/inbound/dispatcher.ts';
import { createLogger } from '../../../bot/logger.ts';
import { defaultPolicy } from '../../../bot/policy.ts';
import { REMEDIATION_VERBS } from '../../../cards/templates/remediation-proposal.ts';
import type { ChatUser, InboundEvent } from '../../../core/chat-surface.ts';
import type { Message } from '../../../core/message.ts';
import { createApprovalHandlers } from '../../../handlers/approvals/approval-handlers.ts';
import { alice, bob, type FlowHarness, startFlow } from './harness.ts';

const where = { surface: 'console' as const, channel: 'oncall', thread: null };
const cardRef = { surface: 'console' as const, channel: 'oncall', id: 'msg-1', extra: {} };

function text(m: Message): string {
  return [m.header?.title ?? '', ...m.sections.map((s) => ('text' in s ? s.text : ''))].join('\n');
}

describe('remediation commands and buttons through the dispatcher', () => {
  let h: FlowHarness;
  let dispatcher: Dispatcher;
  beforeEach(async () => {
    h = await startFlow();
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

  const command = (user: ChatUser, name: string, args: string): Promise<Message> =>
    dispatcher.dispatch({ kind: 'command', name, args, user, place: where });
  const press = (user: ChatUser, verb: string, data: Record<string, unknown>): Promise<Message> =>
    dispatcher.dispatch({
      kind: 'action',
      verb,
      data,
      user,
      place: where,
      message: cardRef,
    } satisfies InboundEvent);

  it('proposes with /remediate, refuses four-eyes breaches in chat, approves, and shows /audit', async () => {
    const list = await command(alice, 'remediate', '');
    expect(list.sections[0]).toMatchObject({ kind: 'table', columns: ['Action', 'What it does', 'Risk'] });

    const card = await command(alice, 'remediate', 'scale-replicas deployment=embeddings replicas=3');
    expect(card.header?.title).toBe('Remediation #1: Scale inference replicas');
    expect(card.facts).toContainEqual(['Approvals', '0 of 1']);
    const approve = card.actions.find((a) => a.verb === REMEDIATION_VERBS.approve);
    expect(approve?.data.proposalId).toBe(1);

    const own = await press(alice, REMEDIATION_VERBS.approve, approve!.data);
    expect(text(own)).toContain('someone else must approve it (four-eyes)');
    const ok = await press(bob, REMEDIATION_VERBS.approve, approve!.data);
    expect(text(ok)).toContain('Remediation #1 approved by console:bob');
    await h.service.idle();
    const again = await press(bob, REMEDIATION_VERBS.approve, approve!.data);
    expect(text(again)).toContain('no longer waiting for approval (it is succeeded)');

    const audit = await command(bob, 'audit', '');
    expect(text(audit)).toContain('Hash chain intact (8 records verified).');
    const table = audit.sections.find((s) => s.kind === 'table');
    expect(table?.kind === 'table' && table.rows.map((r) => r[3])).toEqual([
      'proposed',
      'approval-refused',
      'approval-recorded',
      'approved',
      'execution-started',
      'executed',
      'verified',
      'approval-refused',
    ]);
  });

  it('rejects with the button, reports bad parameters, and switches remediation off', async () => {
    const card = await command(alice, 'remediate', 'shift-traffic percent=30');
    const reject = card.actions.find((a) => a.verb === REMEDIATION_VERBS.reject);
    expect(text(await press(bob, REMEDIATION_VERBS.reject, reject!.data))).toContain('rejected by bob');
    expect(text(await command(alice, 'remediate', 'scale-replicas deployment=Bad_Name'))).toContain(
      'deployment: must be a Kubernetes name',
    );
    expect(text(await command(alice, 'remediation', 'off'))).toContain('switched OFF');
    expect(text(await command(alice, 'remediate', 'shift-traffic percent=30'))).toContain('kill switch');
    expect(text(await command(alice, 'remediation', 'status'))).toBe(
      '\nRemediation is off (policy mode: suggest).',
    );
  });

  it('restores the case of option names chat lower-cases', async () => {
    const card = await command(alice, 'remediate', 'rollback-deployment deployment=llm-api toRevision=1');
    expect(text(card)).toContain('from revision 2 to 1');
  });
});
