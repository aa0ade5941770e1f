import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
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

  it('suggests what XID 48 calls for (drain node-3, reset GPU 5), needs two approvers other than the proposer for P1, then drains and resets', async () => {
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-ecc-xid-node-3.json'))).status).toBe(202);
    await settle();
    const card = (await bot.consoleMessages()).find((m) => m.card && m.text.includes('P1'))!;
    const propose = buttons(card.card).find((a) => a.verb === 'remediation-propose');
    expect(propose?.title).toBe('Propose: Drain node-3 and reset GPU 5');

    await press('alice', card.id, 'remediation-propose', propose!.data);
    await settle();
    const proposal = (await bot.consoleMessages()).find(
      (m) => m.threadId === card.id && buttons(m.card).some((a) => a.verb === 'remediation-approve'),
    )!;
    expect(JSON.stringify(proposal.card)).toMatch(/node-3/);
    const approve = buttons(proposal.card).find((a) => a.verb === 'remediation-approve')!;
    /** The proposal's card as it stands now: the same console message, edited in place. */
    const cardNow = async () => (await bot.consoleMessages()).find((m) => m.id === proposal.id)!;
    expect(JSON.stringify(proposal.card)).toMatch(/0 of 2/);
    expect(JSON.stringify(proposal.card)).not.toMatch(/\(in \d+m\)/);

    const own = await press('alice', proposal.id, 'remediation-approve', approve.data);
    expect(JSON.stringify(await own.json())).toMatch(/someone else must approve it \(four-eyes\)/);
    await press('bob', proposal.id, 'remediation-approve', approve.data);
    await settle();
    const half = await cardNow();
    expect(JSON.stringify(half.card)).toMatch(/1 of 2 \(console:bob\)/);
    expect(JSON.stringify(half.card)).toMatch(/Awaiting approval/);
    expect(buttons(half.card).map((a) => a.verb)).toEqual(['remediation-approve', 'remediation-reject']);
    await press('carol', proposal.id, 'remediation-approve', approve.data);
    await expect
      .poll(
        async () => {
          await settle();
          return JSON.stringify((await cardNow()).card);
        },
        { timeout: 15_000, interval: 200 },
      )
      .toMatch(/Done and verified/);
    const done = await cardNow();
    expect(JSON.stringify(done.card)).toMatch(/2 of 2 \(console:bob, console:carol\)/);
    // The incident's own card closes the loop: how the run ended, and its rollback while possible.
    const id = /Remediation #(\d+): /.exec(JSON.stringify(done.card))![1];
    await expect
      .poll(async () => JSON.stringify((await bot.consoleMessages()).find((m) => m.id === card.id)!.card))
      .toMatch(
        new RegExp(`Remediation #${id} \\(drain-and-reset-gpu\\) verified .*the alerts are still firing`),
      );
    const incidentNow = (await bot.consoleMessages()).find((m) => m.id === card.id)!;
    expect(buttons(incidentNow.card).find((a) => a.title === `Roll back #${id}`)?.data).toMatchObject({
      rollbackOf: Number(id),
    });
    expect(buttons(done.card)).toEqual([]);
    // One card per proposal: every step edited it, none posted a second one.
    const title = /Remediation #\d+: /.exec(JSON.stringify(done.card))![0];
    const proposalCards = (await bot.consoleMessages()).filter((m) => JSON.stringify(m.card).includes(title));
    expect(
      proposalCards.filter((m) => JSON.stringify(m.card).includes('Plan hash')).map((m) => m.id),
    ).toEqual([proposal.id]);
    // One structured log line per step, with who, what, which incident and the chain's head.
    const steps = bot.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'remediation step');
    expect(steps.map((l) => [l.action, l.user])).toEqual([
      ['remediation-approval-recorded', 'console:bob'],
      ['remediation-approved', 'console:carol'],
      ['remediation-execution-started', 'console:carol'],
      ['remediation-verified', 'bot'],
    ]);
    for (const l of steps) {
      expect(l.incidentId).toBe(1);
      expect(l.auditHead).toMatch(/^\d+:[0-9a-f]{64}$/);
    }
    // The head in the last line is the one the card shows and the audit table ends with.
    expect(JSON.stringify(done.card)).toContain(String(steps.at(-1)!.auditHead));
    // The incident's timeline merges the audit's steps with the flow's own outcome (the clock is frozen here).
    const timeline = JSON.stringify((await bot.say('/timeline INC-1')).card);
    const steps2 = [
      'remediation proposed',
      'remediation approved',
      'remediation started',
      'remediation succeeded',
    ];
    for (const step of steps2) expect(timeline).toContain(step);
    // The thread keeps each step's head too: the "verified" reply carries the final one.
    const verifiedReply = (await bot.consoleMessages()).find(
      (m) => /verified\./.test(m.text) && m.id !== proposal.id,
    )!;
    expect(JSON.stringify(verifiedReply.card)).toContain(`Audit head ${String(steps.at(-1)!.auditHead)}`);
    // A later press finds nothing to press and is told why.
    const late = await press('dave', proposal.id, 'remediation-approve', approve.data);
    expect(JSON.stringify(await late.json())).toMatch(/no longer waiting/);
    // The simulated cluster really has node-3 cordoned now.
    const nodes = await fetch(
      `${bot.platform!.kubeConfig.getCurrentCluster()!.server}/api/v1/nodes/node-3`,
    ).then((r) => r.json() as Promise<{ spec: { unschedulable?: boolean } }>);
    expect(nodes.spec.unschedulable).toBe(true);
    // …and the reset ran as a Job pinned to node-3.
    const jobs = await fetch(
      `${bot.platform!.kubeConfig.getCurrentCluster()!.server}/apis/batch/v1/namespaces/kube-system/jobs`,
    ).then(
      (r) =>
        r.json() as Promise<{
          items: { spec: { template: { spec: { nodeName: string } } }; status: { succeeded?: number } }[];
        }>,
    );
    expect(jobs.items.map((j) => [j.spec.template.spec.nodeName, j.status.succeeded])).toEqual([
      ['node-3', 1],
    ]);
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
    // Refused: alice's own approval and dave's press after it ran.
    expect(['approval-recorded', 'approval-refused', 'approved', 'executed', 'verified'].map(count)).toEqual([
      2, 2, 1, 1, 1,
    ]);
  }, 30_000);

  it('edits the card to Rejected and to Expired, without buttons, and posts no extra thread message', async () => {
    const propose = async (replicas: number) => {
      const before = (await bot.consoleMessages()).length;
      const res = await fetch(`${bot.url}/api/console/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          user: 'alice',
          text: `/remediate scale-replicas namespace=ml deployment=llm-api replicas=${replicas}`,
        }),
      });
      expect(res.status).toBe(202);
      await settle();
      const fresh = (await bot.consoleMessages()).slice(before);
      return fresh.find((m) => buttons(m.card).some((a) => a.verb === 'remediation-reject'))!;
    };
    const rejected = await propose(5);
    const reject = buttons(rejected.card).find((a) => a.verb === 'remediation-reject')!;
    await press('bob', rejected.id, 'remediation-reject', reject.data);
    await settle();
    const afterReject = (await bot.consoleMessages()).find((m) => m.id === rejected.id)!;
    expect(JSON.stringify(afterReject.card)).toMatch(/Rejected/);
    expect(buttons(afterReject.card)).toEqual([]);

    const expiring = await propose(7);
    // Sixteen minutes also let the bot's own detectors run and post their incidents: what must
    // not grow is what is about the proposal (its card and its thread).
    const aboutProposal = (all: { id: string; threadId?: string | null }[]) =>
      all.filter(
        (m) =>
          m.id === expiring.id ||
          m.threadId === expiring.id ||
          (expiring.threadId !== null && m.threadId === expiring.threadId),
      );
    const count = aboutProposal(await bot.consoleMessages()).length;
    bot.clock.advance(16 * 60_000);
    await bot.tick();
    await settle();
    const messages = await bot.consoleMessages();
    const afterExpiry = messages.find((m) => m.id === expiring.id)!;
    expect(JSON.stringify(afterExpiry.card)).toMatch(/Expired/);
    expect(buttons(afterExpiry.card)).toEqual([]);
    expect(aboutProposal(messages)).toHaveLength(count);
  }, 30_000);
});
