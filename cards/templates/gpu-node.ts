import type { XidReading } from '../../core/gpu/read-xids.ts';
import {
  buildMessage,
  type Message,
  type MessageAction,
  type MessageStatus,
  type TableCell,
} from '../../core/message.ts';
import { decodeClockEvents, describeClockEvents } from '../../queries/gpu/clock-events.ts';
import type { GpuRow, IbPortRow } from '../../queries/gpu/node-readings.ts';
import {
  classifyGpu,
  DEFAULT_GPU_POLICY,
  type GpuThresholdPolicy,
  type GpuVerdict,
  type Level,
  toneOf,
} from '../../queries/gpu/thresholds.ts';
import { formatTime, type TimeFormat } from './format.ts';
import { REMEDIATION_VERBS } from './remediation-proposal.ts';
import { xidReadingSections } from './xid-reading.ts';

export interface GpuNodeCardInput {
  node: string;
  rows: readonly GpuRow[];
  /** InfiniBand ports of the node, when the query ran. */
  ib?: readonly IbPortRow[];
  /** Signed URL of the node chart (utilisation, temperature, memory). */
  chartUrl?: string;
  /** Shown in the chart's alt text and the IB error column, e.g. `last hour`. */
  rangeLabel: string;
  time: TimeFormat;
  policy?: GpuThresholdPolicy;
  /** The node's cordon state from the Kubernetes API; unknown when absent (no cordon offered then). */
  scheduling?: { cordoned: boolean } | undefined;
  /** GPUs the node has (Kubernetes capacity or policy): fewer rows than this is a blind spot. */
  expectedGpus?: number | undefined;
  /** Each GPU's XIDs over the range, read together (the Errors column shows only the last XID). */
  xids?: ReadonlyArray<{ who: string; reading: XidReading }>;
}

const DASH = '–';
const MAX_NOTICES = 3;

function cell(text: string, level: Level): TableCell {
  const tone = toneOf(level);
  return tone === 'default' ? text : { text, tone };
}

function worst(levels: readonly Level[]): Level {
  const rank: Record<Level, number> = { unknown: 0, exempt: 0, ok: 1, warning: 2, critical: 3 };
  return levels.reduce<Level>((a, b) => (rank[b] > rank[a] ? b : a), 'unknown');
}

function utilText(r: GpuRow, v: GpuVerdict): string {
  if (r.utilPct === undefined) return DASH;
  const now = `${Math.round(r.utilPct)}%`;
  const flagged = v.util.level === 'warning' || v.util.level === 'critical';
  return flagged && r.utilSustainedPct !== undefined
    ? `${now} (avg ${Math.round(r.utilSustainedPct)}%)`
    : now;
}

function memoryText(r: GpuRow): string {
  if (r.fbUsedMiB === undefined || r.fbFreeMiB === undefined) return DASH;
  const total = r.fbUsedMiB + r.fbFreeMiB;
  const pct = total > 0 ? Math.round((100 * r.fbUsedMiB) / total) : 0;
  return `${pct}% of ${Math.round(total / 1024)} GiB`;
}

const count = (v: number | undefined) => Math.round(v ?? 0);

function errorsText(r: GpuRow): string {
  if (r.eccDbe === undefined && r.xid === undefined) return DASH;
  const parts: string[] = [];
  if (r.eccDbe) parts.push(`ECC ${r.eccDbe}`);
  if (r.xid) parts.push(`XID ${r.xid}`);
  if (r.remapFailure) parts.push('remap failed');
  else if (r.remapPending) parts.push('remap pending');
  if (r.retiredPending) parts.push('retirement pending');
  const nvlink = [
    count(r.nvlinkCrcErrors) ? `${count(r.nvlinkCrcErrors)} CRC` : '',
    count(r.nvlinkReplayErrors) ? `${count(r.nvlinkReplayErrors)} replay` : '',
    count(r.nvlinkRecoveryErrors) ? `${count(r.nvlinkRecoveryErrors)} recovery` : '',
  ].filter(Boolean);
  if (nvlink.length) parts.push(`NVLink ${nvlink.join(', ')}`);
  return parts.length ? parts.join(' · ') : 'none';
}

function clocksText(r: GpuRow): string {
  const mask = r.clockEvents;
  if (mask === undefined) return DASH;
  const now = decodeClockEvents(mask).length ? describeClockEvents(mask) : 'normal';
  const shares = [
    [r.powerThrottledPct, 'power'],
    [r.thermalThrottledPct, 'heat'],
  ] as const;
  // Time throttled over the window, which the instant bitmask alone cannot show.
  const over = shares
    .filter(([pct]) => pct !== undefined && pct >= 0.5)
    .map(([pct, what]) => `${what} ${Math.round(pct!)}% of the time`);
  return over.length ? `${now} · ${over.join(', ')}` : now;
}

function gpuTableRow(r: GpuRow, v: GpuVerdict): TableCell[] {
  return [
    cell(String(r.gpu), v.level),
    cell(utilText(r, v), v.util.level),
    cell(memoryText(r), v.memory.level),
    cell(r.tempC === undefined ? DASH : `${Math.round(r.tempC)} °C`, v.temperature.level),
    r.powerW === undefined ? DASH : `${Math.round(r.powerW)} W`,
    cell(errorsText(r), worst([v.ecc.level, v.xid.level, v.memoryRepair.level, v.nvlink.level])),
    cell(clocksText(r), worst([v.clocks.level, v.throttle.level])),
    r.pod ?? 'unassigned',
  ];
}

function rate(bytesPerSec: number | undefined): string {
  return bytesPerSec === undefined ? DASH : `${(bytesPerSec / 1e9).toFixed(1)} GB/s`;
}

function ibTableRow(p: IbPortRow): TableCell[] {
  const down = p.state !== undefined && p.state !== 4;
  const errors = (p.symbolErrors ?? 0) + (p.linkErrorRecovery ?? 0);
  const downs = Math.round(p.linkDowned ?? 0);
  const errText = [downs ? `link down ×${downs}` : '', errors >= 1 ? `${Math.round(errors)} errors` : '']
    .filter(Boolean)
    .join(' · ');
  return [
    `${p.device}/${p.port}`,
    cell(
      p.state === undefined ? DASH : down ? (p.state === 1 ? 'down' : `state ${p.state}`) : 'active',
      down ? 'critical' : 'ok',
    ),
    `${rate(p.txBytesPerSec)} / ${rate(p.rxBytesPerSec)}`,
    cell(errText || 'none', downs ? 'critical' : errors >= 1 ? 'warning' : 'ok'),
  ];
}

/**
 * A cordoned node is offered its uncordon, a schedulable one with a critical GPU its cordon; both
 * only propose (the `cordon-node` action), nothing runs without approval.
 */
function cordonActions(node: string, cordoned: boolean, critical: boolean): MessageAction[] {
  if (!cordoned && !critical) return [];
  const params = cordoned ? { node, unschedulable: false } : { node };
  return [
    {
      verb: REMEDIATION_VERBS.propose,
      title: `Propose: ${cordoned ? 'Uncordon' : 'Cordon'} ${node}`.slice(0, 75),
      style: 'default',
      data: { action: 'cordon-node', params: JSON.stringify(params) },
    },
  ];
}

const STATUS: Record<Level, MessageStatus> = {
  critical: 'error',
  warning: 'warning',
  ok: 'success',
  exempt: 'success',
  unknown: 'info',
};

/**
 * The `/gpu node-7` card: one row per GPU coloured by the policy thresholds, critical findings as
 * notices, the node chart, and the InfiniBand ports. Platform-neutral; renderers do the rest.
 */
export function gpuNodeCard(input: GpuNodeCardInput): Message {
  const policy = input.policy ?? DEFAULT_GPU_POLICY;
  const verdicts = input.rows.map((r) => classifyGpu(r, policy));
  const short = input.expectedGpus !== undefined && input.rows.length < input.expectedGpus;
  const overall = worst([...verdicts.map((v) => v.level), short ? 'critical' : 'unknown']);
  const attention = verdicts.filter((v) => v.level === 'warning' || v.level === 'critical').length;
  const model = input.rows.find((r) => r.modelName)?.modelName;
  const hottest = input.rows.reduce<GpuRow | undefined>(
    (a, r) => (r.tempC !== undefined && (a?.tempC === undefined || r.tempC > a.tempC) ? r : a),
    undefined,
  );
  const workloads = new Set(verdicts.map((v) => v.workload));
  const criticals = input.rows.flatMap((r, i) =>
    verdicts[i]!.level === 'critical' ? [`GPU ${r.gpu}: ${verdicts[i]!.findings.join('; ')}`] : [],
  );

  const facts: Array<[string, string]> = [
    [
      'GPUs',
      `${input.rows.length}${short ? ` of ${input.expectedGpus}` : ''}${attention ? ` (${attention} need attention)` : ', all within thresholds'}`,
    ],
  ];
  if (hottest?.tempC !== undefined)
    facts.push(['Hottest', `GPU ${hottest.gpu} at ${Math.round(hottest.tempC)} °C`]);
  const nvlink = input.rows.filter((r) => r.nvlinkTxBytesPerSec !== undefined);
  if (nvlink.length) {
    const total = nvlink.reduce((sum, r) => sum + (r.nvlinkTxBytesPerSec ?? 0), 0);
    facts.push(['NVLink TX', `${(total / 1e9).toFixed(0)} GB/s across ${nvlink.length} GPUs`]);
  }
  if (input.scheduling) {
    facts.push([
      'Scheduling',
      input.scheduling.cordoned ? 'cordoned: no new pods are placed here' : 'schedulable',
    ]);
  }
  facts.push([
    'Workload',
    workloads.has('throughput')
      ? 'training/batch: low utilisation is flagged'
      : 'inference: utilisation thresholds do not apply',
  ]);

  const sections: Message['sections'] = [];
  const present = new Set(input.rows.map((r) => r.gpu));
  const missing = Array.from({ length: input.expectedGpus ?? 0 }, (_, i) => i).filter((i) => !present.has(i));
  if (missing.length) {
    // A GPU that fell off the bus vanishes from the metrics instead of reporting an error.
    sections.push({
      kind: 'notice',
      tone: 'attention',
      text: `Blind spot: ${input.rows.length} of ${input.expectedGpus} GPUs report; GPU ${missing.join(', ')} missing (fell off the bus, XID 79?). Drain and reboot the node.`,
    });
  }
  sections.push(
    ...criticals.slice(0, MAX_NOTICES).map((text) => ({
      kind: 'notice' as const,
      text,
      tone: 'attention' as const,
    })),
  );
  if (criticals.length > MAX_NOTICES) {
    sections.push({ kind: 'text', text: `…and ${criticals.length - MAX_NOTICES} more critical GPUs.` });
  }
  const xids = (input.xids ?? []).filter((x) => x.reading.kind !== 'none');
  for (const x of xids.slice(0, MAX_NOTICES))
    sections.push(...xidReadingSections(x.who, x.reading, input.time));
  if (xids.length > MAX_NOTICES) {
    sections.push({ kind: 'text', text: `…and XIDs on ${xids.length - MAX_NOTICES} more GPUs.` });
  }
  sections.push({
    kind: 'table',
    title: 'GPUs',
    columns: ['GPU', 'Util', 'Memory', 'Temp', 'Power', 'Errors', 'Clocks', 'Pod'],
    rows: input.rows.map((r, i) => gpuTableRow(r, verdicts[i]!)),
    more: 0,
  });
  if (input.chartUrl) {
    sections.push({
      kind: 'image',
      url: input.chartUrl,
      alt: `GPU utilisation, temperature and memory of ${input.node}, ${input.rangeLabel}`,
      title: `${input.node}, ${input.rangeLabel}`,
    });
  }
  if (input.ib?.length) {
    sections.push({
      kind: 'table',
      title: 'InfiniBand',
      columns: ['Port', 'State', 'TX / RX', `Errors (${input.rangeLabel})`],
      rows: input.ib.map(ibTableRow),
      more: 0,
    });
  }

  return buildMessage({
    header: {
      title: `GPU node ${input.node}`,
      status: STATUS[overall],
      subtitle: [
        model ? `${input.rows.length} × ${model}` : '',
        `as of ${formatTime(input.time.now, input.time)}`,
      ]
        .filter(Boolean)
        .join(' · '),
    },
    facts,
    sections,
    actions: input.scheduling
      ? cordonActions(input.node, input.scheduling.cordoned, criticals.length > 0 || short)
      : [],
  });
}
