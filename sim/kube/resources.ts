/** What the server knows about one resource type: how it is addressed, named and patched. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  /** Subresources served, e.g. `scale`, `status`, `eviction`. */
  subresources: string[];
  /** Custom resources accept no strategic merge patch (the real server answers 415). */
  custom?: boolean;
  /** `status` is owned by controllers; writes to the main resource keep the stored one. */
  hasStatus: boolean;
  /** `metadata.generation` moves when the spec changes. */
  tracksGeneration: boolean;
}

const rw = ['create', 'delete', 'get', 'list', 'patch', 'update'];

/** Every resource type the simulated cluster serves. */
export const resourceTypes: ResourceType[] = [
  core('namespaces', 'namespace', 'Namespace', false, ['ns'], ['status']),
  core('nodes', 'node', 'Node', false, ['no'], ['status']),
  core('pods', 'pod', 'Pod', true, ['po'], ['status', 'eviction'], ['all']),
  core('configmaps', 'configmap', 'ConfigMap', true, ['cm'], []),
  // Nobody writes events yet; served so `kubectl describe` finds an (empty) list.
  core('events', 'event', 'Event', true, ['ev'], []),
  {
    ...base('apps', 'v1', 'deployments', 'deployment', 'Deployment', true),
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['scale', 'status'],
    hasStatus: true,
    tracksGeneration: true,
  },
  {
    ...base('apps', 'v1', 'replicasets', 'replicaset', 'ReplicaSet', true),
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['scale', 'status'],
    hasStatus: true,
    tracksGeneration: true,
  },
  {
    ...base(
      'autoscaling',
      'v2',
      'horizontalpodautoscalers',
      'horizontalpodautoscaler',
      'HorizontalPodAutoscaler',
      true,
    ),
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
    hasStatus: true,
    tracksGeneration: true,
  },
  {
    // Run-to-completion work: the bot's GPU reset runs as one Job pinned to the node.
    ...base('batch', 'v1', 'jobs', 'job', 'Job', true),
    categories: ['all'],
    subresources: ['status'],
    hasStatus: true,
    tracksGeneration: true,
  },
  {
    // What `kubectl autoscale` creates; stored as v2 and converted (sim/kube/hpa-v1.ts).
    ...base(
      'autoscaling',
      'v1',
      'horizontalpodautoscalers',
      'horizontalpodautoscaler',
      'HorizontalPodAutoscaler',
      true,
    ),
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
    hasStatus: true,
    tracksGeneration: true,
  },
  {
    ...base('policy', 'v1', 'poddisruptionbudgets', 'poddisruptionbudget', 'PodDisruptionBudget', true),
    shortNames: ['pdb'],
    subresources: ['status'],
    hasStatus: true,
    tracksGeneration: true,
  },
  {
    // A CRD-like type, so clients can see the custom-resource patch rules (no strategic merge).
    ...base(
      'serving.kserve.io',
      'v1beta1',
      'inferenceservices',
      'inferenceservice',
      'InferenceService',
      true,
    ),
    shortNames: ['isvc'],
    subresources: ['status'],
    custom: true,
    hasStatus: true,
    tracksGeneration: true,
  },
  {
    // The Kubeflow training operator's job: the owner of the pretraining workers' pods.
    ...base('kubeflow.org', 'v1', 'pytorchjobs', 'pytorchjob', 'PyTorchJob', true),
    subresources: ['status'],
    custom: true,
    hasStatus: true,
    tracksGeneration: true,
  },
];

function base(
  group: string,
  version: string,
  plural: string,
  singular: string,
  kind: string,
  namespaced: boolean,
) {
  return { group, version, plural, singular, kind, namespaced, verbs: rw };
}

function core(
  plural: string,
  singular: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[],
  subresources: string[],
  categories?: string[],
): ResourceType {
  const hasStatus = subresources.includes('status');
  return {
    ...base('', 'v1', plural, singular, kind, namespaced),
    shortNames,
    subresources,
    hasStatus,
    tracksGeneration: false,
    ...(categories ? { categories } : {}),
  };
}

/** `apps/v1` or `v1` for the core group. */
export function groupVersion(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** The resource type served at group/version/plural, if any. */
export function findResourceType(group: string, version: string, plural: string): ResourceType | undefined {
  return resourceTypes.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** The resource type by kind name, for controllers and seeding. */
export function resourceTypeOf(kind: string): ResourceType {
  const rt = resourceTypes.find((r) => r.kind === kind);
  if (!rt) throw new Error(`unknown kind ${kind}`);
  return rt;
}
