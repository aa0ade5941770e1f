import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { type Plan, plan as planSchema } from '../../../core/remediation/plan.ts';
import { createLocalMetricsBackend, LocalSampleStore } from '../../../queries/backends/local-metrics.ts';
import type { ActionContext, RemediationAction } from '../../../remediation/action.ts';
import { drainAndResetGpu } from '../../../remediation/actions/drain-and-reset-gpu.ts';
import { fileGpuReplacement } from '../../../remediation/actions/file-gpu-replacement.ts';
import { rebootNode } from '../../../remediation/actions/reboot-node.ts';
import { gpuEvidenceFromMetrics } from '../../../remediation/executors/gpu-evidence.ts';
import { createKubeClients } from '../../../remediation/executors/kubernetes.ts';
import { createScaleSetVmApi } from '../../../remediation/executors/scale-set-vms.ts';
import { ticketFiler } from '../../../remediation/executors/ticket-webhook.ts';
import { createDcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { backfillInto } from '../../../sim/dcgm/feed-store.ts';
import { SIM_NODE_VMS } from '../../../sim/kube/seed.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import { startTicketWebhookServer, type TicketWebhookServer } from '../../servers/ticket-webhook.ts';
import { findKubectl, kubectlRunner, type SimCluster, startSimCluster } from '../kube/harness.ts';
import { armCredential } from './arm-server.ts';
import { testPolicy } from './harness.ts';
import { startScaleSetServer } from './vmss-server.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');
const MIN = 60_000;

/** A node carrying serving pods the guardrails allow evicting. */
async function servingNode(sim: SimCluster): Promise<string> {
  const core = sim.kubeConfig.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({ namespace: 'inference' });
  const node = pods.items.find((p) => p.spec?.nodeName)?.spec?.nodeName;
  if (!node) throw new Error('no scheduled inference pod in the seed');
  return node;
}

async function planOf(
  action: RemediationAction,
  ctx: ActionContext,
  params: Record<string, unknown>,
): Promise<Plan> {
  return planSchema.parse(await action.plan(action.params.parse(params), ctx));
}

describe('GPU remediations against the simulated cluster', () => {
  let sim: SimCluster;
  let ctx: ActionContext;
  beforeEach(async () => {
    sim = await startSimCluster();
    const policy = testPolicy();
    ctx = {
      kube: createKubeClients(sim.kubeConfig),
      guardrails: policy.guardrails,
      gpuReset: policy.gpuReset,
      clock: sim.clock,
      sleep: async (ms) => sim.clock.advance(ms),
    };
  });
  afterEach(() => sim.close());

  it('drain-and-reset-gpu: cordons, evicts, then runs nvidia-smi -r in a privileged Job pinned to the node', async () => {
    const node = await servingNode(sim);
    const p = await planOf(drainAndResetGpu, ctx, { node, gpu: '2' });
    expect(p.diff[0]).toBe(`${node} spec.unschedulable: false → true`);
    expect(p.diff.some((d) => d.startsWith('evict inference/'))).toBe(true);
    const job = (p.desired as { resetJob: { name: string; namespace: string } }).resetJob;
    expect(p.diff.at(-1)).toBe(
      `then, once no evicted pod is left: run Job kube-system/${job.name} on ${node} (privileged, nvcr.io/nvidia/cuda:12.8.1-base-ubuntu22.04): nvidia-smi -r -i 2`,
    );
    expect(p.rollback).toMatchObject({ action: 'cordon-node', params: { node, unschedulable: false } });

    const batch = sim.kubeConfig.makeApiClient(BatchV1Api);
    const core = sim.kubeConfig.makeApiClient(CoreV1Api);
    expect((await drainAndResetGpu.dryRun(p, ctx)).detail.at(-1)).toBe(
      `would create Job kube-system/${job.name}`,
    );
    expect((await batch.listNamespacedJob({ namespace: 'kube-system' })).items).toHaveLength(0);
    expect((await core.readNode({ name: node })).spec?.unschedulable ?? false).toBe(false);

    await drainAndResetGpu.apply(p, ctx);
    expect((await core.readNode({ name: node })).spec?.unschedulable).toBe(true);
    const verified = await drainAndResetGpu.verify(p, ctx, sim.clock.now() + 2 * MIN);
    expect(verified).toMatchObject({ ok: true });
    expect(verified.detail).toContain('GPU 2 reset (nvidia-smi -r -i 2 succeeded)');
    const created = await batch.readNamespacedJob({ name: job.name, namespace: 'kube-system' });
    const pod = created.spec?.template.spec;
    expect(pod?.nodeName).toBe(node);
    expect(pod?.containers[0]?.command).toEqual(['nvidia-smi', '-r', '-i', '2']);
    expect(pod?.containers[0]?.securityContext?.privileged).toBe(true);
    expect(created.status?.succeeded).toBe(1);
    const left = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
    expect(left.items.filter((x) => x.metadata?.namespace === 'inference')).toEqual([]);
  });

  it('drain-and-reset-gpu refuses a reset Job the resource guardrail does not allow', async () => {
    const policy = testPolicy({ guardrails: { resources: ['nodes/*'] } });
    const strict = { ...ctx, guardrails: policy.guardrails };
    await expect(planOf(drainAndResetGpu, strict, { node: 'node-1', gpu: 0 })).rejects.toThrow(
      /jobs\/gpu-reset-node-1-gpu0-\w+ is not in the allowed resources/,
    );
  });

  it('drain-and-reset-gpu refuses a GPU the node does not have', async () => {
    await expect(planOf(drainAndResetGpu, ctx, { node: 'node-1', gpu: 9 })).rejects.toThrow(
      'node-1 has 8 GPUs (0–7), not GPU 9',
    );
  });

  it('shows the reset Job to kubectl', async () => {
    const bin = findKubectl();
    if (!bin) return;
    const node = await servingNode(sim);
    const p = await planOf(drainAndResetGpu, ctx, { node, gpu: 0 });
    await drainAndResetGpu.apply(p, ctx);
    await drainAndResetGpu.verify(p, ctx, sim.clock.now() + 2 * MIN);
    const runner = kubectlRunner(bin, sim.server.url);
    try {
      const out = await runner.kubectl(
        'get',
        'jobs',
        '-n',
        'kube-system',
        '-l',
        'app.kubernetes.io/managed-by=oncall-bot',
        '-o',
        'json',
      );
      const jobs = JSON.parse(out) as {
        items: { metadata: { name: string }; status: { succeeded?: number } }[];
      };
      expect(
        jobs.items.map((j) => [j.metadata.name.startsWith(`gpu-reset-${node}-gpu0-`), j.status.succeeded]),
      ).toEqual([[true, 1]]);
    } finally {
      runner.cleanup();
    }
  });

  it('reboot-node without Azure explains what to configure', async () => {
    await expect(planOf(rebootNode, ctx, { node: 'node-1' })).rejects.toThrow(
      'Rebooting a node needs the AKS cluster',
    );
  });
});

describe.skipIf(!haveOpenssl)('reboot-node against a local HTTPS virtualMachineScaleSetVMs API', () => {
  let sim: SimCluster;
  let arm: Awaited<ReturnType<typeof startScaleSetServer>>;
  let ctx: ActionContext;
  beforeEach(async () => {
    sim = await startSimCluster();
    arm = await startScaleSetServer(sim.clock, { ...SIM_NODE_VMS, instances: 8 }, 90_000);
    const policy = testPolicy();
    ctx = {
      kube: createKubeClients(sim.kubeConfig),
      nodeVms: createScaleSetVmApi({
        subscriptionId: SIM_NODE_VMS.subscriptionId,
        endpoint: arm.url,
        credential: armCredential(),
        ca: arm.ca,
        maxRetries: 0,
      }),
      guardrails: policy.guardrails,
      gpuReset: policy.gpuReset,
      clock: sim.clock,
      sleep: async (ms) => sim.clock.advance(ms),
    };
  });
  afterEach(async () => {
    await arm.close();
    await sim.close();
  });

  it('plans the exact restart, cordons and drains, restarts the instance and verifies it ran again', async () => {
    const node = await servingNode(sim);
    const id = node.replace('node-', '');
    const p = await planOf(rebootNode, ctx, { node });
    expect(p.targets[1]).toMatchObject({
      kind: 'VirtualMachineScaleSetVM',
      name: `${SIM_NODE_VMS.scaleSet}/${id}`,
    });
    expect(p.diff.at(-1)).toBe(
      `restart VM scale set instance ${SIM_NODE_VMS.scaleSet}/${id} (resource group ${SIM_NODE_VMS.resourceGroup}): POST /subscriptions/${SIM_NODE_VMS.subscriptionId}/resourceGroups/${SIM_NODE_VMS.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${SIM_NODE_VMS.scaleSet}/virtualMachines/${id}/restart`,
    );
    expect(await rebootNode.dryRun(p, ctx)).toMatchObject({ ok: true });
    expect(arm.restarts).toEqual([]);
    const applied = await rebootNode.apply(p, ctx);
    expect(applied.detail.at(-1)).toBe(`restart of ${SIM_NODE_VMS.scaleSet}/${id} accepted by Azure`);
    expect(arm.restarts).toEqual([id]);
    expect((await rebootNode.verify(p, ctx, sim.clock.now() + 30_000)).ok).toBe(false);
    const done = await rebootNode.verify(p, ctx, sim.clock.now() + 5 * MIN);
    expect(done.ok).toBe(true);
    expect(done.detail[0]).toBe(`instance ${SIM_NODE_VMS.scaleSet}/${id}: succeeded, running, restarted`);
    const core = sim.kubeConfig.makeApiClient(CoreV1Api);
    expect((await core.readNode({ name: node })).spec?.unschedulable).toBe(true);
  });

  it('refuses an instance that is already busy; the applied plan is stale (409 on the node it read)', async () => {
    const p = await planOf(rebootNode, ctx, { node: 'node-2' });
    await rebootNode.apply(p, ctx);
    await expect(planOf(rebootNode, ctx, { node: 'node-2' })).rejects.toThrow(
      'the instance of node-2 is updating',
    );
    await expect(rebootNode.apply(p, ctx)).rejects.toThrow('the object has been modified');
    expect(arm.restarts).toEqual(['2']);
  });
});

describe('file-gpu-replacement: the evidence to the ticket webhook', () => {
  let tickets: TicketWebhookServer;
  let sim: SimCluster;
  beforeEach(async () => {
    tickets = await startTicketWebhookServer();
    sim = await startSimCluster();
  });
  afterEach(async () => {
    await tickets.close();
    await sim.close();
  });

  it('carries the XID history, ECC and remap counts, serial and UUID; one ticket per plan', async () => {
    const clock = new ManualClock();
    const dcgm = createDcgmCluster(clock);
    const store = new LocalSampleStore();
    dcgm.eccError('node-3', 5);
    clock.advance(3 * MIN);
    dcgm.xidError('node-3', 5, 64);
    clock.advance(5 * MIN);
    backfillInto(store, dcgm, clock.now() - 30 * MIN, clock.now());
    const truth = dcgm.sample(clock.now()).find((n) => n.node.name === 'node-3')!.gpus[5]!.gpu;
    const policy = testPolicy();
    const ctx: ActionContext = {
      kube: createKubeClients(sim.kubeConfig),
      gpuEvidence: gpuEvidenceFromMetrics(createLocalMetricsBackend(store, clock), clock),
      tickets: ticketFiler({
        url: tickets.url,
        auth: { kind: 'bearer', secret: 'ticket-secret-0123456789' },
      }),
      guardrails: policy.guardrails,
      gpuReset: policy.gpuReset,
      clock,
      sleep: async (ms) => clock.advance(ms),
    };
    const p = await planOf(fileGpuReplacement, ctx, { node: 'node-3', gpu: 5 });
    expect(p.summary).toBe(`Replace GPU 5 on node-3 (serial ${truth.serial}, UUID ${truth.uuid})`);
    expect(p.diff[1]).toMatch(
      /^XIDs \(24h\): XID 48 \(Double-bit ECC error\) ×\d+ \(first .*\), XID 64 \(Row remapping failed\) ×\d+/,
    );
    expect(p.diff[2]).toMatch(/^double-bit ECC [1-9]\d*; row remap: failed 1, pending/);
    expect(await fileGpuReplacement.dryRun(p, ctx)).toMatchObject({ ok: true });
    expect(tickets.received).toEqual([]);
    expect((await fileGpuReplacement.apply(p, ctx)).detail).toEqual([
      'ticket webhook answered 201: {"ticket":1}',
    ]);
    expect((await fileGpuReplacement.verify(p, ctx, clock.now() + MIN)).detail).toEqual([
      'ticket webhook answered 200: {"ticket":1}',
    ]);
    const [sent] = tickets.received;
    expect(sent!.headers.authorization).toBe('Bearer ticket-secret-0123456789');
    expect(sent!.body).toMatchObject({
      kind: 'gpu-replacement',
      evidence: {
        node: 'node-3',
        gpu: 5,
        uuid: truth.uuid,
        serial: truth.serial,
        rowRemapFailed: 1,
        xids: [expect.objectContaining({ xid: 48 }), expect.objectContaining({ xid: 64 })],
      },
    });
    expect(String(sent!.body.title)).toContain(truth.serial);
  });

  it('without a ticket webhook the plan says what to set', async () => {
    const policy = testPolicy();
    const clock = new ManualClock();
    const ctx: ActionContext = {
      kube: createKubeClients(sim.kubeConfig),
      gpuEvidence: gpuEvidenceFromMetrics(createLocalMetricsBackend(new LocalSampleStore(), clock), clock),
      guardrails: policy.guardrails,
      gpuReset: policy.gpuReset,
      clock,
      sleep: async (ms) => clock.advance(ms),
    };
    await expect(planOf(fileGpuReplacement, ctx, { node: 'node-3', gpu: 5 })).rejects.toThrow(
      'TICKET_WEBHOOK_URL',
    );
  });
});
