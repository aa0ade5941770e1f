import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../bot/policy.ts';
import { ManualClock } from '../../../core/clock.ts';
import { plainText, type Section } from '../../../core/message.ts';
import { shownOf } from '../../../handlers/commands/command.ts';
import { createChartLinks } from '../../../handlers/gpu/chart-links.ts';
import { createGpuCommand } from '../../../handlers/gpu/gpu-command.ts';
import { createLocalMetricsBackend, LocalSampleStore } from '../../../queries/backends/local-metrics.ts';
import { DEFAULT_GPU_POLICY } from '../../../queries/gpu/thresholds.ts';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';

const MIN = 60_000;

/** Scrapes of node-3 every 15 s: GPU 5's XID gauge goes 0 → 48 → 63; GPU 4 stays clean. */
function feed(store: LocalSampleStore, from: number, to: number): void {
  for (let t = from; t <= to; t += 15_000) {
    const m = (t - from) / MIN;
    const gpu = (g: string, v: number) => ({
      labels: [
        ['Hostname', 'node-3'],
        ['gpu', g],
        ['modelName', 'NVIDIA H100 80GB HBM3'],
      ] as const,
      value: v,
    });
    store.ingest(
      [
        { name: 'DCGM_FI_DEV_GPU_TEMP', series: [gpu('4', 60), gpu('5', 61)] },
        { name: 'DCGM_FI_DEV_XID_ERRORS', series: [gpu('4', 0), gpu('5', m >= 20 ? 63 : m >= 15 ? 48 : 0)] },
        { name: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', series: [gpu('4', 0), gpu('5', m >= 15 ? 1 : 0)] },
      ],
      t,
    );
  }
}

describe('/gpu <node> reads the XID history, not only the last XID', () => {
  it('shows 48 then 63 on GPU 5 as one memory fault with drain-and-reset, while the column says XID 63', async () => {
    const clock = new ManualClock(Date.parse('2026-12-07T10:00:00Z'));
    const samples = new LocalSampleStore();
    feed(samples, clock.now() - 40 * MIN, clock.now());
    const command = createGpuCommand({
      backend: createLocalMetricsBackend(samples, clock),
      links: createChartLinks({
        secret: 'chart-secret-0123456789abcdef0123456789',
        baseUrl: () => 'https://bot.example',
      }),
      knownNodes: async () => ['node-3'],
      gpuPolicy: DEFAULT_GPU_POLICY,
    });
    const deps = {
      store: openSqliteStore({ path: ':memory:' }),
      policy: defaultPolicy(),
      clock,
      targets: [],
    };
    const args = command.args.parse({ positional: ['node-3'], named: {}, raw: 'node-3' });
    const card = shownOf(
      await command.handle(
        {
          args,
          user: { id: 'console:alice', displayName: 'alice' },
          place: { surface: 'console', channel: 'oncall', thread: null },
          incidentId: undefined,
        },
        deps,
      ),
    );
    const notices = card.sections.flatMap((s: Section) => (s.kind === 'notice' ? [plainText(s.text)] : []));
    expect(notices).toContainEqual(
      expect.stringMatching(
        /^node-3 GPU 5: XID 48 \(Double-bit ECC error\), then XID 63 \(Row remapping recorded\) on one GPU: one memory fault, XID 48 \(Double-bit ECC error\) came first\. Drain the node and reset the GPU/,
      ),
    );
    expect(notices.some((n) => n.startsWith('node-3 GPU 4'))).toBe(false);
    const xids = card.sections.find(
      (s) => s.kind === 'table' && s.title === 'XIDs on node-3 GPU 5, first seen first',
    );
    expect(xids?.kind === 'table' && xids.rows.map((r) => r[0])).toEqual(['48', '63']);
  });
});
