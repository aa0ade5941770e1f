import type { ResourceType } from './resources.ts';
import type { KubeObject } from './store.ts';

type Column = { name: string; type: string; format: string; description: string; priority: number };
type Cells = (o: KubeObject, now: number) => (string | number)[];
type Loose = Record<string, unknown>;

const col = (name: string, type = 'string', priority = 0, format = ''): Column => ({
  name,
  type,
  format,
  description: name,
  priority,
});
const nameCol = col('Name', 'string', 0, 'name');
const ageCol = col('Age');

/** Age as kubectl prints it: 45s, 3m12s, 5h, 3d. */
export function formatAge(fromIso: string | undefined, now: number): string {
  if (!fromIso) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return `${d}d`;
}

const spec = (o: KubeObject): Loose => (o.spec ?? {}) as Loose;
const status = (o: KubeObject): Loose => (o.status ?? {}) as Loose;
const num = (v: unknown): number => Number(v ?? 0);
const age = (o: KubeObject, now: number) => formatAge(o.metadata.creationTimestamp, now);
const conditions = (o: KubeObject) => (status(o).conditions ?? []) as { type: string; status: string }[];

const layouts: Record<string, { columns: Column[]; cells: Cells }> = {
  Deployment: {
    columns: [nameCol, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), ageCol],
    cells: (o, now) => [
      o.metadata.name,
      `${num(status(o).readyReplicas)}/${num(spec(o).replicas ?? 1)}`,
      num(status(o).updatedReplicas),
      num(status(o).availableReplicas),
      age(o, now),
    ],
  },
  ReplicaSet: {
    columns: [nameCol, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), ageCol],
    cells: (o, now) => [
      o.metadata.name,
      num(spec(o).replicas),
      num(status(o).replicas),
      num(status(o).readyReplicas),
      age(o, now),
    ],
  },
  Pod: {
    columns: [
      nameCol,
      col('Ready'),
      col('Status'),
      col('Restarts'),
      ageCol,
      col('IP', 'string', 1),
      col('Node', 'string', 1),
    ],
    cells: (o, now) => {
      const cs = (status(o).containerStatuses ?? []) as { ready: boolean }[];
      const total = ((spec(o).containers ?? []) as unknown[]).length;
      return [
        o.metadata.name,
        `${cs.filter((c) => c.ready).length}/${total}`,
        String(status(o).phase ?? 'Pending'),
        '0',
        age(o, now),
        String(status(o).podIP ?? '<none>'),
        String(spec(o).nodeName ?? '<none>'),
      ];
    },
  },
  Node: {
    columns: [nameCol, col('Status'), col('Roles'), ageCol, col('Version'), col('Internal-IP', 'string', 1)],
    cells: (o, now) => {
      const ready = conditions(o).some((c) => c.type === 'Ready' && c.status === 'True');
      const state = [
        ready ? 'Ready' : 'NotReady',
        ...(spec(o).unschedulable ? ['SchedulingDisabled'] : []),
      ].join(',');
      const info = (status(o).nodeInfo ?? {}) as Loose;
      const addresses = (status(o).addresses ?? []) as { type: string; address: string }[];
      const ip = addresses.find((a) => a.type === 'InternalIP')?.address ?? '<none>';
      return [o.metadata.name, state, '<none>', age(o, now), String(info.kubeletVersion ?? ''), ip];
    },
  },
  HorizontalPodAutoscaler: {
    columns: [
      nameCol,
      col('Reference'),
      col('Targets'),
      col('MinPods', 'integer'),
      col('MaxPods', 'integer'),
      col('Replicas', 'integer'),
      ageCol,
    ],
    cells: (o, now) => {
      const ref = (spec(o).scaleTargetRef ?? {}) as Loose;
      return [
        o.metadata.name,
        `${ref.kind}/${ref.name}`,
        '<unknown>',
        num(spec(o).minReplicas ?? 1),
        num(spec(o).maxReplicas),
        num(status(o).currentReplicas),
        age(o, now),
      ];
    },
  },
  ConfigMap: {
    columns: [nameCol, col('Data', 'integer'), ageCol],
    cells: (o, now) => [o.metadata.name, Object.keys((o.data ?? {}) as Loose).length, age(o, now)],
  },
  PodDisruptionBudget: {
    columns: [
      nameCol,
      col('Min Available'),
      col('Max Unavailable'),
      col('Allowed Disruptions', 'integer'),
      ageCol,
    ],
    cells: (o, now) => [
      o.metadata.name,
      String(spec(o).minAvailable ?? 'N/A'),
      String(spec(o).maxUnavailable ?? 'N/A'),
      num(status(o).disruptionsAllowed),
      age(o, now),
    ],
  },
  Namespace: {
    columns: [nameCol, col('Status'), ageCol],
    cells: (o, now) => [o.metadata.name, String(status(o).phase ?? 'Active'), age(o, now)],
  },
};

const fallback = {
  columns: [nameCol, ageCol],
  cells: (o: KubeObject, now: number) => [o.metadata.name, age(o, now)],
};

/**
 * A meta.k8s.io/v1 Table for `kubectl get`. Each row carries the object as requested by
 * `includeObject` (None, Metadata — the default — or Object).
 */
export function toTable(
  rt: ResourceType,
  objects: KubeObject[],
  now: number,
  includeObject: string | null,
  resourceVersion: string,
) {
  const layout = layouts[rt.kind] ?? fallback;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: layout.columns,
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: layout.cells(o, now) };
      if (includeObject === 'Object') row.object = o;
      else if (includeObject !== 'None') {
        row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      }
      return row;
    }),
  };
}
