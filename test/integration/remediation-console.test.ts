import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../bot/clock.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

interface CardAction {
  type: string;
  verb?: string;
  title?: string;
  data?: Record<string, unknown>;
}

/** The Action.Execute buttons of a console card (top-level actions). */
function buttons(card: Record<string, unknown> | null): CardAction[] {
  return ((card?.actions as CardAction[] | undefined) ?? []).filter((a) => a.type === 'Action.Execute');
}

describe('remediation from the console, end to end on the simulated cluster', () => {
  let bot: TestBot;
  const press = (user: string, messageId: string, verb: string, data: Record<string, unknown> = {}) =>
    fetch(`${bot.url}/api/console/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, messageId, verb, data }),
    });
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await bot.flush();
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    bot = await startTestBot({}, new ManualClock(Date.now()), { localPlatform: true });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('suggests cordoning the ECC node, needs two approvers other than the proposer for P1, then cordons it', async () => {
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-ecc-xid-node-3.json'))).status).toBe(202);
    await settle();
    const card = (await bot.consoleMessages()).find((m) => m.card && m.text.includes('P1'))!;
    const propose = buttons(card.card).find((a) => a.verb === 'remediation-propose');
    expect(propose?.title).toMatch(/cordon/i);

    await press('alice', card.id, 'remediation-propose', propose!.data);
    await settle();
    const proposal = (await bot.consoleMessages()).find(
      (m) => m.threadId === card.id && buttons(m.card).some((a) => a.verb === 'remediation-approve'),
    )!;
    expect(JSON.stringify(proposal.card)).toMatch(/node-3/);
    const approve = buttons(proposal.card).find((a) => a.verb === 'remediation-approve')!;

    const own = await press('alice', proposal.id, 'remediation-approve', approve.data);
    expect(JSON.stringify(await own.json())).toMatch(/someone else must approve it \(four-eyes\)/);
    await press('bob', proposal.id, 'remediation-approve', approve.data);
    await press('carol', proposal.id, 'remediation-approve', approve.data);
    await expect
      .poll(
        async () => {
          await settle();
          return JSON.stringify(await bot.consoleMessages());
        },
        { timeout: 15_000, interval: 200 },
      )
      .toMatch(/verified|Verified|succeeded/);
    // The simulated cluster really has node-3 cordoned now.
    const nodes = await fetch(
      `${bot.platform!.kubeConfig.getCurrentCluster()!.server}/api/v1/nodes/node-3`,
    ).then((r) => r.json() as Promise<{ spec: { unschedulable?: boolean } }>);
    expect(nodes.spec.unschedulable).toBe(true);
    const auditRes = await fetch(`${bot.url}/api/console/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'dave', text: '/audit' }),
    });
    expect(auditRes.status).toBe(202);
    await settle();
    const audit = JSON.stringify((await bot.consoleMessages()).at(-1)?.card);
    expect(audit).toMatch(/bob/);
    expect(audit).toMatch(/carol/);
    // /metrics counts the remediation's steps from the audit log.
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/^oncall_bot_remediation_audit_records\{event="proposed"\} 1$/m);
    const count = (event: string) =>
      Number(
        new RegExp(`^oncall_bot_remediation_audit_records\\{event="${event}"\\} (\\d+)$`, 'm').exec(
          metrics,
        )?.[1],
      );
    expect(['approval-recorded', 'approval-refused', 'approved', 'executed', 'verified'].map(count)).toEqual([
      2, 1, 1, 1, 1,
    ]);
  }, 30_000);
});
