import { buildMessage, type Message, type TableCell } from '../../core/message.ts';
import { type CoverageRow, describeBlindSpot } from '../../queries/gpu/coverage.ts';
import { formatTime, type TimeFormat } from './format.ts';

export interface GpuCoverageCardInput {
  rows: readonly CoverageRow[];
  time: TimeFormat;
  /** Whether the node list came from the Kubernetes API (else the metrics alone: a node that never reported is invisible). */
  fromKubernetes: boolean;
  /** e.g. `1h`: how far back "reported earlier" looks. */
  lookbackLabel: string;
}

const MAX_NOTICES = 4;

function gpusCell(r: CoverageRow): TableCell {
  const text = `${r.reporting}${r.expected !== undefined ? ` of ${r.expected}` : ''}`;
  const short =
    r.reporting === 0 || (r.expected !== undefined && r.reporting < r.expected) || r.reporting < r.seen;
  return short ? { text, tone: 'attention' } : text;
}

/**
 * `/gpu coverage`: what the bot can and cannot see. One row per GPU node, blind spots first as
 * notices, so an exporter that is down or a GPU that vanished reads as a problem, never as health.
 */
export function gpuCoverageCard(input: GpuCoverageCardInput): Message {
  const blind = input.rows.filter((r) => r.blindSpots.length > 0);
  const notices = blind.flatMap((r) => r.blindSpots.map((b) => `${r.node}: ${describeBlindSpot(b)}`));
  const sections: Message['sections'] = notices.slice(0, MAX_NOTICES).map((text) => ({
    kind: 'notice' as const,
    text,
    tone: 'attention' as const,
  }));
  if (notices.length > MAX_NOTICES)
    sections.push({ kind: 'text', text: `…and ${notices.length - MAX_NOTICES} more blind spots.` });
  if (!input.fromKubernetes) {
    sections.push({
      kind: 'text',
      text: 'Nodes come from the metrics alone (the Kubernetes API was not read): a node that never reported is not listed.',
    });
  }
  sections.push({
    kind: 'table',
    title: 'GPU nodes',
    columns: ['Node', 'GPUs reporting', 'Blind spots'],
    rows: input.rows.map((r) => [
      r.node,
      gpusCell(r),
      r.blindSpots.length
        ? { text: r.blindSpots.map(describeBlindSpot).join('; '), tone: 'attention' }
        : { text: 'none', tone: 'good' },
    ]),
    more: 0,
  });
  return buildMessage({
    header: {
      title: 'GPU telemetry coverage',
      status: blind.length ? 'error' : 'success',
      subtitle: `as of ${formatTime(input.time.now, input.time)} · earlier = last ${input.lookbackLabel}`,
    },
    facts: [
      [
        'Nodes',
        `${input.rows.length}${blind.length ? ` (${blind.length} not fully observed)` : ', all observed'}`,
      ],
      [
        'GPUs reporting',
        `${input.rows.reduce((n, r) => n + r.reporting, 0)}${
          input.rows.every((r) => r.expected !== undefined)
            ? ` of ${input.rows.reduce((n, r) => n + (r.expected ?? 0), 0)}`
            : ''
        }`,
      ],
    ],
    sections,
    actions: [],
  });
}
