import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKubectl, kubectlRunner, type SimCluster, startSimCluster } from './harness.ts';

const bin = findKubectl();
const mustRun = process.env.CI === 'true';

/** A Deployment manifest as YAML; `extra` lines go under `spec:` as written. */
function manifest(name: string, replicas: string, extra: string[] = []): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  replicas: ${replicas}`,
    ...extra.map((line) => `  ${line}`),
    '  selector:',
    `    matchLabels: {app: ${name}}`,
    '  template:',
    '    metadata:',
    `      labels: {app: ${name}}`,
    '    spec:',
    '      containers:',
    '      - name: server',
    '        image: ghcr.io/acme/llm-api:1.4',
    '',
  ].join('\n');
}

describe('the simulated API serves OpenAPI v3 and field validation', () => {
  let sim: SimCluster;
  let dir: string;
  let runner: ReturnType<typeof kubectlRunner> | undefined;

  beforeAll(async () => {
    sim = await startSimCluster();
    dir = mkdtempSync(join(tmpdir(), 'sim-openapi-'));
    if (bin) runner = kubectlRunner(bin, sim.server.url);
  });
  afterAll(async () => {
    runner?.cleanup();
    rmSync(dir, { recursive: true, force: true });
    await sim?.close();
  });

  const stored = (name: string) => {
    sim.server.state.tick();
    return sim.server.state.find('Deployment', 'ml', name);
  };

  it('lists a document per group-version and answers 406 for protobuf', async () => {
    const root = (await (await fetch(`${sim.server.url}/openapi/v3`)).json()) as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    expect(Object.keys(root.paths)).toEqual(
      expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/autoscaling/v2']),
    );
    const apps = root.paths['apis/apps/v1']?.serverRelativeURL ?? '';
    expect(apps).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{32}$/);
    const doc = (await (await fetch(`${sim.server.url}${apps}`)).json()) as {
      components: { schemas: Record<string, { 'x-kubernetes-group-version-kind'?: unknown[] }> };
    };
    expect(doc.components.schemas['sim.apps.v1.Deployment']?.['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    const protobuf = await fetch(`${sim.server.url}/openapi/v3/apis/apps/v1`, {
      headers: { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' },
    });
    expect(protobuf.status).toBe(406);
    expect((await fetch(`${sim.server.url}/openapi/v3/apis/nope/v1`)).status).toBe(404);
  });

  it('warns about unknown fields by default, drops nothing under Ignore and rejects a bad directive', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'openapi-warn', namespace: 'ml' },
      data: { a: 'b' },
      colour: 'blue',
    };
    const post = (query: string) =>
      fetch(`${sim.server.url}/api/v1/namespaces/ml/configmaps?dryRun=All${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const warned = await post('');
    expect(warned.status).toBe(201);
    expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"colour\\""');
    const ignored = await post('&fieldValidation=Ignore');
    expect(ignored.status).toBe(201);
    expect(ignored.headers.get('warning')).toBeNull();
    const strict = await post('&fieldValidation=Strict');
    expect(strict.status).toBe(400);
    expect(((await strict.json()) as { message: string }).message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "colour"',
    );
    expect((await post('&fieldValidation=Loose')).status).toBe(400);
  });

  describe.skipIf(!bin && !mustRun)('with kubectl', () => {
    const kubectl = (...args: string[]) => {
      if (!runner) throw new Error('kubectl is required when CI=true but was not found on PATH');
      return runner.kubectl(...args);
    };
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    it('explains a field and a kind from the published schemas', async () => {
      const replicas = await kubectl('explain', 'deployment.spec.replicas');
      expect(replicas).toMatch(/KIND:\s+Deployment/);
      expect(replicas).toContain('FIELD: replicas <integer>');
      expect(replicas).toMatch(/Number of desired pods for this Deployment/);
      const pods = await kubectl('explain', 'pods');
      expect(pods).toMatch(/KIND:\s+Pod\n/);
      expect(pods).toContain('Pod is a collection of containers');
      expect(pods).toMatch(/spec\t<Object>\n\s+Specification of the desired behaviour of the pod/);
      const image = await kubectl('explain', 'pod.spec.containers.image');
      expect(image).toContain('FIELD: image <string>');
      await expect(kubectl('explain', 'deployment.spec.replicaz')).rejects.toThrow(
        /field "replicaz" does not exist/,
      );
    });

    it('applies a valid Deployment with validation on, then applies a change to it', async () => {
      const created = await kubectl('apply', '-f', file('valid.yaml', manifest('openapi-demo', '2')));
      expect(created.trim()).toBe('deployment.apps/openapi-demo created');
      expect(stored('openapi-demo')?.spec).toMatchObject({ replicas: 2 });
      const changed = await kubectl('apply', '-f', file('valid3.yaml', manifest('openapi-demo', '3')));
      expect(changed.trim()).toBe('deployment.apps/openapi-demo configured');
      expect(stored('openapi-demo')?.spec).toMatchObject({ replicas: 3 });
      // A new image goes through kubectl's strategic merge patch of the containers list (merge key `name`).
      const image = manifest('openapi-demo', '3').replace('llm-api:1.4', 'llm-api:1.5');
      await kubectl('apply', '-f', file('image.yaml', image));
      expect(stored('openapi-demo')?.spec).toMatchObject({
        template: { spec: { containers: [{ name: 'server', image: 'ghcr.io/acme/llm-api:1.5' }] } },
      });
    });

    it('refuses an unknown field and a mistyped one, naming the field', async () => {
      const unknown = file('unknown.yaml', manifest('openapi-typo', '2', ['replicaz: 2']));
      await expect(kubectl('apply', '-f', unknown)).rejects.toThrow(
        /error when creating ".*unknown\.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.replicaz"/,
      );
      expect(stored('openapi-typo')).toBeUndefined();
      // On an existing object the check covers the patch kubectl computes.
      await expect(
        kubectl('apply', '-f', file('unknown-update.yaml', manifest('openapi-demo', '3', ['replicaz: 2']))),
      ).rejects.toThrow(/strict decoding error: unknown field "spec\.replicaz"/);
      await expect(
        kubectl('apply', '-f', file('mistyped.yaml', manifest('openapi-demo', 'two'))),
      ).rejects.toThrow(/cannot unmarshal string into field "spec\.replicas" of type int32/);
      expect(stored('openapi-demo')?.spec).toMatchObject({ replicas: 3 });
      expect(stored('openapi-demo')?.spec).not.toHaveProperty('replicaz');
    });

    it('deletes a Deployment with its ReplicaSets and pods, so the same manifest applies again', async () => {
      const path = file('again.yaml', manifest('openapi-again', '2'));
      await kubectl('apply', '-f', path);
      const owned = (kind: string) =>
        sim.server.state.list(kind, 'ml').filter((o) => o.metadata.name.startsWith('openapi-again-'));
      sim.server.state.tick();
      expect(owned('ReplicaSet')).toHaveLength(1);
      expect(owned('Pod')).toHaveLength(2);
      expect(await kubectl('delete', '-f', path)).toContain('deployment.apps "openapi-again" deleted');
      sim.server.state.tick();
      expect(owned('ReplicaSet')).toEqual([]);
      expect(owned('Pod')).toEqual([]);
      expect((await kubectl('apply', '-f', path)).trim()).toBe('deployment.apps/openapi-again created');
      expect(stored('openapi-again')?.spec).toMatchObject({ replicas: 2 });
    });

    it('checks an autoscaling/v1 body against the v1 schema before converting it', async () => {
      const hpa = (field: string) =>
        [
          'apiVersion: autoscaling/v1',
          'kind: HorizontalPodAutoscaler',
          'metadata: {name: openapi-hpa}',
          'spec:',
          '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm-api}',
          '  maxReplicas: 6',
          `  ${field}: 70`,
          '',
        ].join('\n');
      await expect(
        kubectl('apply', '-f', file('hpa-typo.yaml', hpa('targetCPUUtilisationPercentage'))),
      ).rejects.toThrow(/strict decoding error: unknown field "spec\.targetCPUUtilisationPercentage"/);
      expect(await kubectl('apply', '-f', file('hpa.yaml', hpa('targetCPUUtilizationPercentage')))).toContain(
        'horizontalpodautoscaler.autoscaling/openapi-hpa created',
      );
      const explained = await kubectl(
        'explain',
        'hpa.spec.targetCPUUtilizationPercentage',
        '--api-version=autoscaling/v1',
      );
      expect(explained).toMatch(/VERSION:\s+v1\n/);
      expect(explained).toContain('Target average CPU utilisation');
      expect(await kubectl('explain', 'node.spec.unschedulable')).toContain('True when the node is cordoned');
    });
  });
});
