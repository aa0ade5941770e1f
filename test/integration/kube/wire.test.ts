import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { seedAiPlatform } from '../../../sim/kube/seed.ts';
import { startKubeApi } from '../../../sim/kube/server.ts';
import { type SimCluster, startSimCluster } from './harness.ts';

/** Raw HTTP: content types, discovery and Status shapes that clients otherwise hide. */
describe('simulated Kubernetes API on the wire', () => {
  let sim: SimCluster;
  beforeEach(async () => {
    sim = await startSimCluster();
  });
  afterEach(() => sim.close());

  const patch = (path: string, contentType: string, body: unknown) =>
    fetch(`${sim.server.url}${path}`, {
      method: 'PATCH',
      headers: { 'content-type': contentType },
      body: JSON.stringify(body),
    });

  it('answers an unsupported PATCH content type with 415 UnsupportedMediaType', async () => {
    const res = await patch('/apis/apps/v1/namespaces/ml/deployments/llm-api', 'application/json', {
      spec: { replicas: 2 },
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
      reason: 'UnsupportedMediaType',
      code: 415,
    });
  });

  it('refuses a strategic merge patch on a custom resource (415) but takes a merge patch', async () => {
    const base = '/apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices';
    const created = await fetch(`${sim.server.url}${base}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'gpt-judge' },
        spec: { predictor: { minReplicas: 1 } },
      }),
    });
    expect(created.status).toBe(201);
    const strategic = await patch(`${base}/gpt-judge`, 'application/strategic-merge-patch+json', {
      spec: { predictor: { minReplicas: 2 } },
    });
    expect(strategic.status).toBe(415);
    expect(((await strategic.json()) as { reason: string }).reason).toBe('UnsupportedMediaType');
    const merged = await patch(`${base}/gpt-judge`, 'application/merge-patch+json', {
      spec: { predictor: { minReplicas: 2 } },
    });
    expect(merged.status).toBe(200);
    expect(((await merged.json()) as { spec: unknown }).spec).toEqual({ predictor: { minReplicas: 2 } });
  });

  it('serves discovery with the scale subresource kubectl looks for', async () => {
    const apps = (await (await fetch(`${sim.server.url}/apis/apps/v1`)).json()) as {
      resources: { name: string; group?: string; kind: string }[];
    };
    expect(apps.resources).toContainEqual(
      expect.objectContaining({ name: 'deployments/scale', group: 'autoscaling', kind: 'Scale' }),
    );
    const groups = (await (await fetch(`${sim.server.url}/apis`)).json()) as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name)).toEqual([
      'apps',
      'autoscaling',
      'batch',
      'policy',
      'serving.kserve.io',
      'kubeflow.org',
    ]);
    expect((await fetch(`${sim.server.url}/openapi/v2`)).status).toBe(404);
  });

  it('serves a Table when asked, with the columns kubectl prints', async () => {
    const res = await fetch(`${sim.server.url}/apis/apps/v1/namespaces/ml/deployments`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const table = (await res.json()) as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
    ]);
    expect(table.rows[1]?.cells.slice(0, 4)).toEqual(['llm-api', '4/4', 4, 4]);
  });

  it('streams watch events after a resourceVersion', async () => {
    const list = (await (await fetch(`${sim.server.url}/apis/apps/v1/namespaces/ml/deployments`)).json()) as {
      metadata: { resourceVersion: string };
    };
    const controller = new AbortController();
    const res = await fetch(
      `${sim.server.url}/apis/apps/v1/namespaces/ml/deployments?watch=true&fieldSelector=metadata.name%3Dllm-api&resourceVersion=${list.metadata.resourceVersion}`,
      { signal: controller.signal },
    );
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await patch('/apis/apps/v1/namespaces/ml/deployments/llm-api/scale', 'application/merge-patch+json', {
      spec: { replicas: 5 },
    });
    let text = '';
    while (!text.includes('\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const first = JSON.parse(text.split('\n')[0] as string) as {
      type: string;
      object: { metadata: { name: string }; spec: { replicas: number } };
    };
    expect(first.type).toBe('MODIFIED');
    expect(first.object.metadata.name).toBe('llm-api');
    expect(first.object.spec.replicas).toBe(5);
    controller.abort();
  });

  it('answers a watch from a resourceVersion older than its history with 410 Expired', async () => {
    const small = await startKubeApi({
      port: 0,
      clock: new ManualClock(),
      seed: seedAiPlatform,
      watchHistory: 10,
    });
    try {
      const gone = await (
        await fetch(`${small.url}/apis/apps/v1/namespaces/ml/deployments?watch=true&resourceVersion=1`)
      ).text();
      expect(JSON.parse(gone.trim())).toMatchObject({
        type: 'ERROR',
        object: { kind: 'Status', reason: 'Expired', code: 410 },
      });
    } finally {
      await small.close();
    }
  });

  it('changes status only through the status subresource', async () => {
    const notReady = {
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] },
    };
    const main = await patch('/api/v1/nodes/node-1', 'application/merge-patch+json', notReady);
    expect(
      ((await main.json()) as { status: { conditions: { status: string }[] } }).status.conditions[0]?.status,
    ).toBe('True');
    const sub = await patch('/api/v1/nodes/node-1/status', 'application/merge-patch+json', {
      ...notReady,
      spec: { unschedulable: true },
    });
    const node = (await sub.json()) as {
      spec: { unschedulable?: boolean };
      status: { conditions: { status: string }[] };
    };
    expect(node.status.conditions[0]?.status).toBe('False');
    expect(node.spec.unschedulable).toBeUndefined();
    const table = await fetch(`${sim.server.url}/api/v1/nodes/node-1`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    expect(((await table.json()) as { rows: { cells: string[] }[] }).rows[0]?.cells[1]).toBe('NotReady');
  });

  it('lists pods by node with a field selector and rejects unknown field labels', async () => {
    const res = await fetch(`${sim.server.url}/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-6`);
    const list = (await res.json()) as { kind: string; items: { spec: { nodeName: string } }[] };
    expect(list.kind).toBe('PodList');
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((p) => p.spec.nodeName === 'node-6')).toBe(true);
    const bad = await fetch(`${sim.server.url}/api/v1/pods?fieldSelector=spec.bogus%3Dx`);
    expect(bad.status).toBe(400);
  });
});
