import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScalingHeadroom } from '../../../handlers/views/scaling-headroom.ts';
import { createAgentPoolApi } from '../../../remediation/executors/azure.ts';
import { createKubeClients } from '../../../remediation/executors/kubernetes.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import { armCredential, CLUSTER, startArmServer } from '../remediation/arm-server.ts';
import { type SimCluster, startSimCluster } from './harness.ts';

const haveOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');

describe.skipIf(!haveOpenssl)('scaling headroom from the Kubernetes API and the AKS agent pools', () => {
  let cluster: SimCluster;
  let arm: Awaited<ReturnType<typeof startArmServer>>;
  beforeAll(async () => {
    cluster = await startSimCluster();
    arm = await startArmServer(cluster.clock);
  });
  afterAll(async () => {
    await cluster?.close();
    await arm?.close();
  });

  it('HPA max against current replicas; the gpu pool’s nodes against its count (a manual pool)', async () => {
    const kube = createKubeClients(cluster.kubeConfig);
    const pools = createAgentPoolApi({
      cluster: CLUSTER,
      endpoint: arm.url,
      credential: armCredential(),
      ca: arm.ca,
    });
    const { hpas, pools: lines } = await readScalingHeadroom(kube, pools);
    expect(hpas).toEqual([expect.objectContaining({ name: 'ml/llm-api', min: 2, max: 10 })]);
    const nodes = (await kube.core.listNode()).items.length;
    // The local ARM server's gpu pool: count 8, autoscaling off, so its ceiling is its count.
    expect(lines).toEqual([{ pool: 'gpu', nodes, max: 8, autoscaling: false }]);
  });

  it('without Resource Manager the pool ceiling is unknown, not zero', async () => {
    const { pools } = await readScalingHeadroom(createKubeClients(cluster.kubeConfig), undefined);
    expect(pools[0]).toMatchObject({ pool: 'gpu', max: undefined });
  });
});
