import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../../cards/render/adaptive-card.ts';
import { gpuNodeCard } from '../../../cards/templates/gpu-node.ts';
import { ManualClock } from '../../../core/clock.ts';
import type { Message } from '../../../core/message.ts';
import { createLocalMetricsBackend, LocalSampleStore } from '../../../queries/backends/local-metrics.ts';
import { runGpuInstant } from '../../../queries/backends/metrics-backend.ts';
import { gpuNodeState, infinibandPorts } from '../../../queries/gpu/catalog.ts';
import { assembleGpuRows, assembleIbRows } from '../../../queries/gpu/node-readings.ts';
import { createDcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { backfillInto } from '../../../sim/dcgm/feed-store.ts';

const MIN = 60_000;

async function cardFor(
  node: string,
  setup: (c: ReturnType<typeof createDcgmCluster>) => void,
  afterMs = 10 * MIN,
): Promise<Message> {
  const clock = new ManualClock();
  const cluster = createDcgmCluster(clock);
  const store = new LocalSampleStore();
  const backend = createLocalMetricsBackend(store, clock);
  clock.advance(30 * MIN);
  setup(cluster);
  clock.advance(afterMs);
  backfillInto(store, cluster, clock.now() - 45 * MIN, clock.now());
  const rows = assembleGpuRows(await runGpuInstant(backend, gpuNodeState, { node }));
  const ib = assembleIbRows(await runGpuInstant(backend, infinibandPorts, { node, range: '1h' }));
  return gpuNodeCard({
    node,
    rows,
    ib,
    chartUrl: `https://bot.example/charts/${node}.png?sig=abc`,
    rangeLabel: 'last hour',
    time: { timeZone: 'UTC', now: clock.now() },
  });
}

function table(msg: Message, title: string) {
  const t = msg.sections.find((s) => s.kind === 'table' && s.title === title);
  if (t?.kind !== 'table') throw new Error(`no table ${title}`);
  return t;
}

const text = (c: unknown) => (typeof c === 'string' ? c : (c as { text: string }).text);
const tone = (c: unknown) => (typeof c === 'string' ? 'default' : (c as { tone: string }).tone);

describe('gpu node card', () => {
  it('shows one row per GPU, toned by threshold, for a node that heats up', async () => {
    const msg = await cardFor('node-7', (c) => c.heatUp('node-7', { rampMs: 5 * MIN }));
    expect(msg.header).toMatchObject({ title: 'GPU node node-7', status: 'error' });
    expect(msg.header?.subtitle).toContain('8 × NVIDIA H100 80GB HBM3');
    const gpus = table(msg, 'GPUs');
    expect(gpus.rows).toHaveLength(8);
    const temps = gpus.rows.map((r) => [text(r[3]), tone(r[3])]);
    expect(temps[0]).toEqual(['89 °C', 'attention']);
    expect(temps.some(([, t]) => t === 'warning')).toBe(true);
    expect(text(gpus.rows[0]![6])).toContain('thermal');
    expect(text(gpus.rows[0]![7])).toBe('llm-pretrain-worker-3');
    expect(msg.facts).toContainEqual(['Hottest', 'GPU 0 at 89 °C']);
    expect(msg.facts.find((f) => f[0] === 'NVLink TX')?.[1]).toMatch(/^\d+ GB\/s across 8 GPUs$/);
    expect(msg.sections.some((s) => s.kind === 'image' && s.alt.includes('node-7'))).toBe(true);
  });

  it('puts an uncorrectable ECC error first, as a critical notice', async () => {
    const msg = await cardFor('node-3', (c) => c.eccError('node-3', 2));
    expect(msg.header?.status).toBe('error');
    const notice = msg.sections[0]!;
    expect(notice).toMatchObject({ kind: 'notice', tone: 'attention' });
    expect(notice.kind === 'notice' && notice.text).toContain(
      'GPU 2: 1 uncorrectable ECC error(s): Reset the GPU; when XID 63 or 64 follows, drain the node first',
    );
    expect(notice.kind === 'notice' && notice.text).not.toMatch(/: replace (the )?GPU/);
    const row = table(msg, 'GPUs').rows[2]!;
    expect([text(row[5]), tone(row[5])]).toEqual(['ECC 1 · XID 48 · remap pending', 'attention']);
    // Inference GPUs are never flagged for low utilisation.
    expect(msg.facts.find((f) => f[0] === 'Workload')![1]).toContain('inference');
  });

  it('flags a down InfiniBand port and idle training GPUs', async () => {
    const msg = await cardFor(
      'node-5',
      (c) => {
        c.idleGpus('node-5', { gpus: [1] });
        c.ibLinkDown('node-5', 'mlx5_4');
      },
      40 * MIN,
    );
    const ib = table(msg, 'InfiniBand');
    const down = ib.rows.find((r) => text(r[0]) === 'mlx5_4/1')!;
    expect([text(down[1]), tone(down[1])]).toEqual(['down', 'attention']);
    expect(text(down[3])).toContain('link down ×1');
    const gpu1 = table(msg, 'GPUs').rows[1]!;
    // Idle for longer than the 30-minute sustain window: critical for a training GPU.
    expect(tone(gpu1[1])).toBe('attention');
    expect(text(gpu1[1])).toMatch(/^\d+% \(avg \d+%\)$/);
  });

  it('stays far under the Teams card size limit', async () => {
    const msg = await cardFor('node-7', (c) => c.heatUp('node-7'));
    expect(JSON.stringify(toAdaptiveCard(msg)).length).toBeLessThan(80_000);
  });
});
