import { COVERAGE_FIELDS, nodeOf } from './metric-names.ts';

interface LabelledValue {
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** What the Kubernetes API says about a GPU node (structural, to keep this file API-free). */
export interface NodeExpectation {
  name: string;
  gpuCapacity: number;
  problems: ReadonlyArray<{ type: string; message: string }>;
}

/** Why the bot cannot fully see a node. */
export type BlindSpot =
  | { kind: 'exporter-down'; instance: string }
  | { kind: 'silent'; seen: number }
  | { kind: 'never-reported' }
  | { kind: 'gpus-missing'; reporting: number; expected: number }
  | { kind: 'fields-missing'; fields: string[] }
  | { kind: 'node-problem'; type: string; message: string };

/** One node of `/gpu coverage`. */
export interface CoverageRow {
  node: string;
  /** GPUs reporting now; 0 when none. */
  reporting: number;
  /** The most GPUs seen within the look-back. */
  seen: number;
  /** From the node's capacity, else the policy; undefined when neither says. */
  expected: number | undefined;
  blindSpots: BlindSpot[];
}

export interface CoverageInput {
  parts: Readonly<Record<string, readonly LabelledValue[]>>;
  /** GPU nodes from the Kubernetes API; undefined when it could not be read. */
  nodes: readonly NodeExpectation[] | undefined;
  expectedGpusPerNode?: number;
}

function perNode(samples: readonly LabelledValue[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples ?? []) {
    const node = nodeOf(s.labels);
    if (node) out.set(node, (out.get(node) ?? 0) + s.value);
  }
  return out;
}

/**
 * Joins the `gpu-coverage` query with the Kubernetes nodes into one row per node, each with its
 * blind spots: an exporter that is down, a node silent now that reported earlier (or never), fewer
 * GPUs than it has, fields the bot needs that it does not export, Node Problem Detector conditions.
 * A node known only to Kubernetes is listed too: silence is never read as health.
 */
export function assessCoverage(input: CoverageInput): CoverageRow[] {
  const reporting = perNode(input.parts.reporting);
  const seen = perNode(input.parts.seen);
  const fields = new Map(COVERAGE_FIELDS.map((f) => [f, perNode(input.parts[`field:${f}`])] as const));
  const kube = new Map((input.nodes ?? []).map((n) => [n.name, n] as const));
  const down = new Map<string, string>();
  for (const t of input.parts.targets ?? []) {
    const node = nodeOf(t.labels) ?? t.labels.instance;
    if (t.value === 0 && node) down.set(node, t.labels.instance ?? node);
  }
  const names = new Set([...reporting.keys(), ...seen.keys(), ...kube.keys(), ...down.keys()]);
  return [...names]
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((node) => {
      const now = reporting.get(node) ?? 0;
      const before = seen.get(node) ?? 0;
      const capacity = kube.get(node)?.gpuCapacity;
      const expected = capacity ?? input.expectedGpusPerNode;
      const blindSpots: BlindSpot[] = [];
      const instance = down.get(node);
      if (instance) blindSpots.push({ kind: 'exporter-down', instance });
      if (now === 0)
        blindSpots.push(before > 0 ? { kind: 'silent', seen: before } : { kind: 'never-reported' });
      else {
        const want = Math.max(expected ?? 0, before);
        if (now < want) blindSpots.push({ kind: 'gpus-missing', reporting: now, expected: want });
        const missing = COVERAGE_FIELDS.filter((f) => !fields.get(f)?.has(node));
        if (missing.length) blindSpots.push({ kind: 'fields-missing', fields: [...missing] });
      }
      for (const p of kube.get(node)?.problems ?? []) blindSpots.push({ kind: 'node-problem', ...p });
      return { node, reporting: now, seen: before, expected, blindSpots };
    });
}

/** The blind spot in words, for cards and the router. */
export function describeBlindSpot(b: BlindSpot): string {
  switch (b.kind) {
    case 'exporter-down':
      return `DCGM exporter ${b.instance} is down`;
    case 'silent':
      return `no GPU metrics now (${b.seen} GPUs earlier): exporter or node gone`;
    case 'never-reported':
      return 'no GPU metrics at all: no exporter scraped on this node';
    case 'gpus-missing':
      return `${b.reporting} of ${b.expected} GPUs report: a GPU may have fallen off the bus (XID 79)`;
    case 'fields-missing':
      return `does not export ${b.fields.join(', ')}`;
    case 'node-problem':
      return `${b.type} (Node Problem Detector)${b.message ? `: ${b.message}` : ''}`;
  }
}
