import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../../cards/render/adaptive-card.ts';
import { gpuFleetCard } from '../../../cards/templates/gpu-fleet.ts';
import { ManualClock } from '../../../core/clock.ts';
import { createLocalMetricsBackend, LocalSampleStore } from '../../../queries/backends/local-metrics.ts';
import { runGpuInstant } from '../../../queries/backends/metrics-backend.ts';
import { gpuFleetSummary } from '../../../queries/gpu/catalog.ts';
import { createDcgmCluster } from '../../../sim/dcgm/cluster.ts';
import { backfillInto } from '../../../sim/dcgm/feed-store.ts';

const MIN = 60_000;

describe('GPU fleet card', () => {
  it('leads with errors, then the hottest and idlest GPUs and memory pressure', async () => {
    const clock = new ManualClock();
    const cluster = createDcgmCluster(clock);
    const store = new LocalSampleStore();
    clock.advance(30 * MIN);
    cluster.eccError('node-3', 2);
    cluster.heatUp('node-7', { gpus: [5], rampMs: MIN, peakC: 91 });
    cluster.idleGpus('node-5', { gpus: [1], rampMs: MIN });
    cluster.memoryPressure('node-1', { gpus: [0], rampMs: MIN });
    clock.advance(40 * MIN);
    backfillInto(store, cluster, clock.now() - 45 * MIN, clock.now());
    const parts = await runGpuInstant(createLocalMetricsBackend(store, clock), gpuFleetSummary, {});
    const msg = gpuFleetCard({ parts, time: { timeZone: 'UTC', now: clock.now() }, sustainLabel: '30m' });

    expect(msg.header).toMatchObject({ title: 'GPU fleet', status: 'error' });
    expect(msg.sections[0]).toMatchObject({
      kind: 'notice',
      tone: 'attention',
      text: expect.stringMatching(
        /^node-3 \/ GPU 2: 1 uncorrectable ECC error\(s\): Reset the GPU; .*replace it only when a row remap fails/,
      ),
    });
    const table = (title: string) => {
      const t = msg.sections.find((s) => s.kind === 'table' && s.title?.startsWith(title));
      if (t?.kind !== 'table') throw new Error(`no ${title}`);
      return t;
    };
    expect(table('Hottest').rows[0]).toEqual([
      'node-7 / GPU 5',
      { text: '91 °C', tone: 'attention' },
      expect.any(String),
    ]);
    const idle = table('Idlest').rows[0]!;
    expect(idle[0]).toBe('node-5 / GPU 1');
    expect(idle[1]).toMatchObject({ tone: 'attention' });
    expect(table('Memory pressure').rows.map((r) => r[0])).toContain('node-1 / GPU 0');
    expect(table('Nodes').rows).toHaveLength(8);
    expect(JSON.stringify(toAdaptiveCard(msg)).length).toBeLessThan(80_000);
  });
});
