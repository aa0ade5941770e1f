import { formatDuration } from '../../core/duration.ts';
import { buildMessage, type Message, type Section, type TableCell } from '../../core/message.ts';
import { cardTime, type TimeFormat } from './format.ts';
import { formatNumber } from './result-format.ts';

const MAX_LINES = 8;

export interface EngineeringCardInput {
  time: TimeFormat;
  windowMs: number;
  /** The deployment asked for (`/eng gpt-4o`), or undefined for all. */
  deployment: string | undefined;
  latencySloMs: number;
  /** Percentiles over the whole window, per deployment. */
  latency: { deployment: string; requests: number; p50: number; p95: number; p99: number }[];
  /** Requests and errors per endpoint over the window, most errors first. */
  endpoints: { endpoint: string; requests: number; errors4xx: number; errors5xx: number }[];
  spikes: { endpoint: string; kind: '4xx' | '5xx'; at: number; rate: number }[];
  /** Requests/s and tokens/s per model in the newest full bucket. */
  throughput: { deployment: string; requestsPerSec: number; tokensPerSec: number }[];
  /** Nodes in the GPU heatmap; undefined without GPU metrics. */
  gpuNodes: number | undefined;
  charts: { url: string; alt: string }[];
  queryMs: number;
  renderMs: number | undefined;
}

const ms = (v: number) => `${formatNumber(v, 0)} ms`;

/**
 * The engineering view (`/eng [deployment]`): latency against the SLO, errors by endpoint with
 * their spikes, throughput per model and GPU use per node, for the last hour. What breaks the
 * SLO or spikes is said first; the charts carry the detail.
 */
export function engineeringCard(input: EngineeringCardInput): Message {
  const window = formatDuration(input.windowMs);
  const slo = input.latencySloMs;
  const overSlo = input.latency.filter((l) => l.p95 > slo);
  const sections: Section[] = [];
  if (overSlo.length > 0)
    sections.push({
      kind: 'notice',
      tone: 'attention',
      text: `P95 above the ${ms(slo)} SLO over the last ${window}: ${overSlo.map((l) => `${l.deployment} ${ms(l.p95)}`).join(', ')}.`,
    });
  if (input.spikes.length > 0)
    sections.push({
      kind: 'notice',
      tone: 'warning',
      text: [
        'Error spikes: ',
        ...input.spikes.flatMap((s, i) => [
          `${i > 0 ? '; ' : ''}${s.kind} ${s.endpoint} ${formatNumber(s.rate, 2)} % at `,
          cardTime(s.at, input.time, 'time'),
        ]),
        '.',
      ],
    });
  sections.push({
    kind: 'table',
    title: `Latency, last ${window} (SLO ${ms(slo)})`,
    columns: ['Deployment', 'P50', 'P95', 'P99', 'Requests'],
    rows: input.latency
      .slice(0, MAX_LINES)
      .map((l): TableCell[] => [
        l.deployment,
        ms(l.p50),
        { text: ms(l.p95), tone: l.p95 > slo ? 'attention' : 'good' },
        { text: ms(l.p99), tone: l.p99 > slo ? 'warning' : 'default' },
        formatNumber(l.requests, 0),
      ]),
    more: Math.max(0, input.latency.length - MAX_LINES),
  });
  const share = (n: number, of: number) => (of > 0 ? `${formatNumber((100 * n) / of, 2)} %` : '–');
  sections.push({
    kind: 'table',
    title: `Errors by endpoint, last ${window}`,
    columns: ['Endpoint', '4xx', '5xx', 'Requests'],
    rows: input.endpoints
      .slice(0, MAX_LINES)
      .map((e): TableCell[] => [
        e.endpoint,
        { text: share(e.errors4xx, e.requests), tone: e.errors4xx > 0 ? 'warning' : 'default' },
        { text: share(e.errors5xx, e.requests), tone: e.errors5xx > 0 ? 'attention' : 'default' },
        formatNumber(e.requests, 0),
      ]),
    more: Math.max(0, input.endpoints.length - MAX_LINES),
  });
  for (const c of input.charts) sections.push({ kind: 'image', url: c.url, alt: c.alt });
  const reqPerSec = input.throughput.reduce((s, t) => s + t.requestsPerSec, 0);
  const tokPerSec = input.throughput.reduce((s, t) => s + t.tokensPerSec, 0);
  const timing =
    input.renderMs === undefined
      ? `${Math.round(input.queryMs)} ms`
      : `${Math.round(input.queryMs)} ms queries · ${Math.round(input.renderMs)} ms charts`;
  return buildMessage({
    header: {
      title: input.deployment ? `Engineering view: ${input.deployment}` : 'Engineering view',
      status: overSlo.length > 0 || input.spikes.length > 0 ? 'warning' : 'success',
      subtitle: [`last ${window} · as of `, cardTime(input.time.now, input.time)],
    },
    facts: [
      [
        'Throughput now',
        `${formatNumber(reqPerSec, 1)} req/s · ${formatNumber(tokPerSec, 0)} tokens/s${
          input.throughput[0] ? ` · busiest ${input.throughput[0].deployment}` : ''
        }`,
      ],
      [
        'GPU nodes',
        input.gpuNodes === undefined
          ? 'no GPU metrics configured (PROMETHEUS_URL)'
          : `${input.gpuNodes} in the heatmap${input.deployment ? ' (the whole fleet: nodes are not per deployment)' : ''}`,
      ],
      ['Query time', timing],
    ],
    sections,
  });
}
