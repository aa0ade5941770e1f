import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';

const MIN = 60_000;

interface CardAction {
  type: string;
  verb?: string;
  title?: string;
  data?: Record<string, unknown>;
}

function buttons(card: Record<string, unknown> | null): CardAction[] {
  return ((card?.actions as CardAction[] | undefined) ?? []).filter((a) => a.type === 'Action.Execute');
}

/**
 * One notification as a real Alertmanager sends it for the shipped XID rules with the shipped
 * alertmanager.yml (group_by alertname, host, gpu): each rule of one GPU is its own group.
 */
function amXid(rule: 'GpuXidFatal' | 'GpuXidAttention', xid: number, startsAt: number, gpu = '5') {
  const fatal = rule === 'GpuXidFatal';
  const labels = {
    alertname: rule,
    kind: 'gpu-xid',
    tier: fatal ? 'P1' : 'P2',
    severity: fatal ? 'critical' : 'warning',
    xid: String(xid),
    Hostname: 'node-3',
    gpu,
    UUID: 'GPU-a04d7e31-6c2f-4b8a-8e15-9f7c3d2b1a60',
    DCGM_FI_DEV_SERIAL: '1654123456789',
    modelName: 'NVIDIA H100 80GB HBM3',
    instance: '10.244.1.9:9400',
    job: 'dcgm-exporter',
  };
  return {
    receiver: 'chatops-bot',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: {
          summary: `GPU ${gpu} on node-3 reported XID ${xid}`,
          description: fatal
            ? "The GPU itself failed (memory, bus or firmware); the bot's card names the action for this XID."
            : 'A recorded memory error, an NVLink error, a recovery request or an XID the catalog does not list; act this shift.',
        },
        startsAt: new Date(startsAt).toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=DCGM_FI_DEV_XID_ERRORS',
        fingerprint: `${rule}-${gpu}-${xid}`.padEnd(16, '0').slice(0, 16),
      },
    ],
    groupLabels: { alertname: rule, Hostname: 'node-3', gpu },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{alertname="${rule}", Hostname="node-3", gpu="${gpu}"}`,
    truncatedAlerts: 0,
  };
}

describe('XID cards recommend what the XID knowledge says, and the flow carries it out', () => {
  let bot: TestBot;
  const t0 = Date.now();
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
  const incidentCards = async () =>
    (await bot.consoleMessages()).filter((m) => m.card && m.threadId === null);
  const send = async (body: unknown) => {
    expect((await bot.postAlert('alertmanager', body)).status).toBe(202);
    await settle();
  };
  const kube = (path: string) =>
    fetch(`${bot.platform!.kubeConfig.getCurrentCluster()!.server}${path}`).then((r) => r.json());

  beforeEach(async () => {
    bot = await startTestBot({}, new ManualClock(t0), { localPlatform: true });
  });
  afterEach(async () => {
    await bot?.stop();
  });

  it('XID 79: the card says reboot the node, proposes it, and approving restarts the node’s VM', async () => {
    await send(amXid('GpuXidFatal', 79, t0 - MIN));
    const [card] = await incidentCards();
    const shown = JSON.stringify(card!.card);
    expect(shown).toContain('XID 79 (GPU fell off the bus)');
    expect(shown).toContain('Drain and reboot the node');
    const propose = buttons(card!.card).filter((a) => a.verb === 'remediation-propose');
    expect(propose.map((a) => a.title)).toEqual(['Propose: Reboot node node-3']);

    await press('alice', card!.id, 'remediation-propose', propose[0]!.data);
    await settle();
    const proposal = (await bot.consoleMessages()).find(
      (m) => m.threadId === card!.id && buttons(m.card).some((a) => a.verb === 'remediation-approve'),
    )!;
    const plan = JSON.stringify(proposal.card);
    // The preview shows exactly what will run.
    expect(plan).toContain('node-3 spec.unschedulable: false → true');
    expect(plan).toContain(
      'restart VM scale set instance aks-gpu-31415926-vmss/3 (resource group MC_rg-ml_aks-ml_eastus2): POST /subscriptions/00000000-0000-0000-0000-0000000051a1/resourceGroups/MC_rg-ml_aks-ml_eastus2/providers/Microsoft.Compute/virtualMachineScaleSets/aks-gpu-31415926-vmss/virtualMachines/3/restart',
    );
    const approve = buttons(proposal.card).find((a) => a.verb === 'remediation-approve')!;
    await press('bob', proposal.id, 'remediation-approve', approve.data);
    await press('carol', proposal.id, 'remediation-approve', approve.data);
    await expect
      .poll(
        async () => {
          await settle();
          return JSON.stringify((await bot.consoleMessages()).find((m) => m.id === proposal.id)!.card);
        },
        { timeout: 20_000, interval: 250 },
      )
      .toMatch(/Done and verified/);
    const node = (await kube('/api/v1/nodes/node-3')) as {
      spec: { unschedulable?: boolean };
      status: { conditions: { type: string; status: string }[] };
    };
    expect(node.spec.unschedulable).toBe(true);
    expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  }, 40_000);

  it('48 followed by 63 on one GPU: one incident, read as one memory fault, drain-and-reset proposed', async () => {
    await send(amXid('GpuXidFatal', 48, t0 - 3 * MIN));
    bot.clock.advance(MIN);
    await send(amXid('GpuXidAttention', 63, t0 - 2 * MIN));
    const cards = await incidentCards();
    expect(cards).toHaveLength(1);
    expect(cards[0]!.text).toContain('P1');
    const text = JSON.stringify(cards[0]!.card);
    expect(text).toContain('one memory fault, XID 48 (Double-bit ECC error) came first');
    expect(text).toContain('Drain the node and reset the GPU so the remap takes effect');
    expect(
      buttons(cards[0]!.card)
        .filter((a) => a.verb === 'remediation-propose')
        .map((a) => [a.title, a.data?.action, a.data?.params]),
    ).toEqual([
      [
        'Propose: Drain node-3 and reset GPU 5',
        'drain-and-reset-gpu',
        JSON.stringify({ node: 'node-3', gpu: 5 }),
      ],
    ]);
    const [incident] = await bot.store.incidents.listOpen(10);
    expect(incident).toMatchObject({ tier: 'P1', kind: 'gpu-xid' });
  }, 30_000);
});
