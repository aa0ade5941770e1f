import { groupVersion, type ResourceType, resourceTypes } from './resources.ts';

/** What `/version` reports; kubectl only warns on skew. */
export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** `/api`: the legacy core group's versions. */
export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groups(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rt of resourceTypes) {
    if (!rt.group) continue;
    const versions = out.get(rt.group) ?? [];
    if (!versions.includes(rt.version)) versions.push(rt.version);
    out.set(rt.group, versions);
  }
  return out;
}

function groupEntry(name: string, versions: string[]) {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** `/apis`: every named group (legacy discovery; the aggregated form is not served, clients fall back). */
export function groupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups()].map(([name, versions]) => groupEntry(name, versions)),
  };
}

/** `/apis/{group}`, or undefined for an unknown group. */
export function apiGroup(name: string) {
  const versions = groups().get(name);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(name, versions) } : undefined;
}

function subresourceEntry(rt: ResourceType, sub: string) {
  const entry = { name: `${rt.plural}/${sub}`, singularName: '', namespaced: rt.namespaced };
  if (sub === 'scale')
    return {
      ...entry,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    };
  if (sub === 'eviction')
    return { ...entry, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
  return { ...entry, kind: rt.kind, verbs: ['get', 'patch', 'update'] };
}

/** `/api/v1` or `/apis/{group}/{version}`: the APIResourceList, or undefined when not served. */
export function resourceList(group: string, version: string) {
  const types = resourceTypes.filter((r) => r.group === group && r.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: types.flatMap((rt) => [
      {
        name: rt.plural,
        singularName: rt.singular,
        namespaced: rt.namespaced,
        kind: rt.kind,
        verbs: rt.verbs,
        ...(rt.shortNames ? { shortNames: rt.shortNames } : {}),
        ...(rt.categories ? { categories: rt.categories } : {}),
      },
      ...rt.subresources.map((sub) => subresourceEntry(rt, sub)),
    ]),
  };
}
