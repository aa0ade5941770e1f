import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSchedulingFromKube } from '../../../remediation/executors/node-scheduling.ts';
import { kubeconfigFor } from '../../../sim/kube/kubeconfig.ts';
import { type SimCluster, startSimCluster } from './harness.ts';

describe('node scheduling state for /gpu', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startSimCluster();
  });
  afterAll(() => cluster.close());

  it('reads a cordon from the API server', async () => {
    const scheduling = nodeSchedulingFromKube(cluster.kubeConfig);
    expect(await scheduling('node-3')).toEqual({ cordoned: false });
    await cluster.kubeConfig
      .makeApiClient(CoreV1Api)
      .patchNode(
        { name: 'node-3', body: { spec: { unschedulable: true } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
    expect(await scheduling('node-3')).toEqual({ cordoned: true });
    expect(await scheduling('no-such-node')).toBeUndefined();
  });

  it('gives up on an API server that accepts the request and never answers, and closes the request', async () => {
    const seen: IncomingMessage[] = [];
    const closed: string[] = [];
    // Reads the request, then says nothing: a hung API server or a black-holing proxy.
    const silent = createServer((req) => {
      seen.push(req);
      req.socket.on('close', () => closed.push(req.url ?? ''));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(kubeconfigFor(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`));
      const answer = await nodeSchedulingFromKube(kubeConfig, { timeoutMs: 300 })('node-3');
      expect(answer).toBeUndefined();
      expect(seen.map((r) => r.url)).toEqual(['/api/v1/nodes/node-3']);
      // The request was aborted, not left open behind a race.
      await expect.poll(() => closed, { timeout: 5_000 }).toEqual(['/api/v1/nodes/node-3']);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 10_000);
});
