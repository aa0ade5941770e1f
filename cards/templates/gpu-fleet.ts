import {
  buildMessage,
  type Message,
  type MessageStatus,
  type Section,
  type TableCell,
} from '../../core/message.ts';
import { nodeOf } from '../../queries/gpu/metric-names.ts';
import {
  classifyGpu,
  DEFAULT_GPU_POLICY,
  type GpuThresholdPolicy,
  type Level,
  toneOf,
} from '../../queries/gpu/thresholds.ts';
import { formatTime, type TimeFormat } from './format.ts';

/** A sample as any metrics backend returns it (structural, to keep templates backend-free). */
interface LabelledValue {
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** The parts of the `gpu-fleet-summary` vetted query, by name. */
export type FleetParts = Readonly<Record<string, readonly LabelledValue[]>>;

export interface GpuFleetCardInput {
  parts: FleetParts;
  time: TimeFormat;
  /** Shown next to the idle table, e.g. `30m`. */
  sustainLabel: string;
  policy?: GpuThresholdPolicy;
}

const MAX_NOTICES = 4;

function where(s: LabelledValue): string {
  return `${nodeOf(s.labels) ?? '?'} / GPU ${s.labels.gpu ?? '?'}`;
}

function cell(text: string, level: Level): TableCell {
  const tone = toneOf(level);
  return tone === 'default' ? text : { text, tone };
}

function byValue(list: readonly LabelledValue[], dir: 1 | -1): LabelledValue[] {
  return [...list].sort((a, b) => dir * (a.value - b.value));
}

/**
 * `/gpu` without a node: where to look first. Errors as notices with the XID catalog's action,
 * then the hottest and idlest GPUs, memory pressure and per-node means.
 */
export function gpuFleetCard(input: GpuFleetCardInput): Message {
  const policy = input.policy ?? DEFAULT_GPU_POLICY;
  const p = (name: string) => input.parts[name] ?? [];
  const nodes = p('nodeUtil');
  const ecc = p('eccErrors');
  const xid = p('xidErrors');
  const pressure = byValue(p('memoryPressure'), -1);
  const hottest = byValue(p('hottest'), -1);
  const idlest = byValue(p('idlest'), 1);

  const notices = [
    ...ecc.map(
      (s) => `${where(s)}: ${classifyGpu({ node: '', gpu: 0, eccDbe: s.value }, policy).ecc.reason}`,
    ),
    ...xid.map((s) => `${where(s)}: ${classifyGpu({ node: '', gpu: 0, xid: s.value }, policy).xid.reason}`),
  ];
  const sections: Section[] = notices
    .slice(0, MAX_NOTICES)
    .map((text) => ({ kind: 'notice', text, tone: 'attention' }));
  if (notices.length > MAX_NOTICES) {
    sections.push({ kind: 'text', text: `…and ${notices.length - MAX_NOTICES} more GPU errors.` });
  }
  const temp = (v: number) => classifyGpu({ node: '', gpu: 0, tempC: v }, policy).temperature.level;
  sections.push({
    kind: 'table',
    title: 'Hottest GPUs',
    columns: ['GPU', 'Temp', 'Pod'],
    rows: hottest.map((s) => [
      where(s),
      cell(`${Math.round(s.value)} °C`, temp(s.value)),
      s.labels.pod || 'unassigned',
    ]),
    more: 0,
  });
  sections.push({
    kind: 'table',
    title: `Idlest allocated GPUs (mean over ${input.sustainLabel})`,
    columns: ['GPU', 'Util', 'Pod'],
    rows: idlest.map((s) => {
      const v = classifyGpu(
        {
          node: nodeOf(s.labels) ?? '',
          gpu: 0,
          namespace: s.labels.namespace,
          pod: s.labels.pod,
          utilSustainedPct: s.value,
        },
        policy,
      );
      const note = v.workload === 'latency' ? ' (inference)' : '';
      return [where(s), cell(`${Math.round(s.value)}%${note}`, v.util.level), s.labels.pod || 'unassigned'];
    }),
    more: 0,
  });
  if (pressure.length) {
    sections.push({
      kind: 'table',
      title: 'Memory pressure',
      columns: ['GPU', 'Memory used', 'Pod'],
      rows: pressure.map((s) => [
        where(s),
        cell(`${Math.round(s.value)}%`, 'critical'),
        s.labels.pod || 'unassigned',
      ]),
      more: 0,
    });
  }
  const tempByNode = new Map(p('nodeTempMax').map((s) => [nodeOf(s.labels), s.value]));
  sections.push({
    kind: 'table',
    title: 'Nodes',
    columns: ['Node', 'Mean util', 'Hottest'],
    rows: [...nodes]
      .sort((a, b) => (nodeOf(a.labels) ?? '').localeCompare(nodeOf(b.labels) ?? '', 'en', { numeric: true }))
      .map((s) => {
        const t = tempByNode.get(nodeOf(s.labels));
        return [
          nodeOf(s.labels) ?? '?',
          `${Math.round(s.value)}%`,
          t === undefined ? '–' : cell(`${Math.round(t)} °C`, temp(t)),
        ];
      }),
    more: 0,
  });

  const hot = hottest.some((s) => temp(s.value) === 'critical');
  const status: MessageStatus = notices.length ? 'error' : hot || pressure.length ? 'warning' : 'success';
  return buildMessage({
    header: {
      title: 'GPU fleet',
      status,
      subtitle: `${nodes.length} nodes · as of ${formatTime(input.time.now, input.time)}`,
    },
    facts: [
      ['GPU errors', notices.length ? `${ecc.length} ECC, ${xid.length} XID` : 'none'],
      [
        'Memory pressure',
        pressure.length ? `${pressure.length} GPUs above ${policy.framebuffer.criticalAbovePct}%` : 'none',
      ],
      ['Unassigned GPUs', String(p('unassigned').length)],
      ['Details', 'Type /gpu <node> for one node, e.g. /gpu node-7'],
    ],
    sections,
  });
}
