import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { KubeCluster } from '../../../sim/kube/cluster.ts';
import { inspectFields } from '../../../sim/kube/field-validation.ts';
import { groupVersionDocument, gvKey, openApiRoot } from '../../../sim/kube/openapi/documents.ts';
import { schemaFor } from '../../../sim/kube/openapi/kinds.ts';
import { findResourceType, groupVersion, resourceTypes } from '../../../sim/kube/resources.ts';
import { seedAiPlatform } from '../../../sim/kube/seed.ts';

const rt = (group: string, version: string, plural: string) => {
  const found = findResourceType(group, version, plural);
  if (!found) throw new Error(`${plural} is not served`);
  return found;
};

describe('the simulated API server’s OpenAPI schemas', () => {
  it('has one schema per served kind, tagged with its group, version and kind', () => {
    for (const type of resourceTypes) {
      const schema = schemaFor(type.group, type.version, type.kind);
      expect(schema?.['x-kubernetes-group-version-kind'], type.plural).toEqual([
        { group: type.group, version: type.version, kind: type.kind },
      ]);
      expect(groupVersionDocument(gvKey(type))?.paths, type.plural).toBeDefined();
    }
    expect(Object.keys(openApiRoot().paths)).toHaveLength(new Set(resourceTypes.map(gvKey)).size);
  });

  it('describes every field the seeded cluster and its controllers write', () => {
    const clock = new ManualClock();
    const cluster = new KubeCluster({ clock, podReadyDelayMs: 1_000 });
    seedAiPlatform(cluster);
    cluster.tick();
    // A rollout, so new ReplicaSets and pods (scheduled, then ready) are written by the controllers.
    const llm = cluster.find('Deployment', 'ml', 'llm-api');
    if (!llm) throw new Error('llm-api is not seeded');
    cluster.save({ ...llm, spec: { ...(llm.spec as object), replicas: 6 } });
    for (let i = 0; i < 3; i++) {
      clock.advance(2_000);
      cluster.tick();
    }
    for (const type of resourceTypes) {
      for (const obj of cluster.store.list(type, undefined)) {
        if (obj.apiVersion !== groupVersion(type)) continue; // autoscaling/v1 lists the stored v2 objects
        expect(inspectFields(type, obj), `${type.kind} ${obj.metadata.name}`).toEqual({
          unknown: [],
          mistyped: [],
        });
      }
    }
  });

  it('names unknown and mistyped fields by path, array indexes included', () => {
    const deployments = rt('apps', 'v1', 'deployments');
    const body = {
      spec: {
        replicas: 1.5,
        template: { spec: { containers: [{ name: 'a', image: 'x', imagePullPolcy: 'Always' }] } },
        paused: 'yes',
      },
    };
    expect(inspectFields(deployments, body)).toEqual({
      unknown: ['spec.template.spec.containers[0].imagePullPolcy'],
      mistyped: [
        'cannot unmarshal float into field "spec.replicas" of type int32',
        'cannot unmarshal string into field "spec.paused" of type boolean',
      ],
    });
  });

  it('accepts numbers or strings for quantities and int-or-string fields, and nulls anywhere', () => {
    const pods = rt('', 'v1', 'pods');
    const pod = {
      metadata: { name: 'p', labels: null },
      spec: {
        containers: [
          { name: 'a', image: 'x', resources: { limits: { 'nvidia.com/gpu': 8, memory: '80Gi' } } },
        ],
      },
    };
    expect(inspectFields(pods, pod)).toEqual({ unknown: [], mistyped: [] });
    const pdb = { spec: { minAvailable: '50%' } };
    expect(inspectFields(rt('policy', 'v1', 'poddisruptionbudgets'), pdb).mistyped).toEqual([]);
    const bad = { spec: { maxUnavailable: true } };
    expect(inspectFields(rt('policy', 'v1', 'poddisruptionbudgets'), bad).mistyped).toEqual([
      'cannot unmarshal boolean into field "spec.maxUnavailable" of type int-or-string',
    ]);
  });

  it('skips strategic merge directives in patches and keeps custom resources open', () => {
    const nodes = rt('', 'v1', 'nodes');
    const patch = { $patch: 'merge', spec: { $retainKeys: ['unschedulable'], unschedulable: true } };
    expect(inspectFields(nodes, patch, { patch: true }).unknown).toEqual([]);
    expect(inspectFields(nodes, patch).unknown).toEqual(['$patch', 'spec.$retainKeys']);
    const isvc = { spec: { predictor: { minReplicas: 2, model: { modelFormat: { name: 'vllm' } } } } };
    expect(inspectFields(rt('serving.kserve.io', 'v1beta1', 'inferenceservices'), isvc).unknown).toEqual([]);
  });
});
