import { workerEntry } from '../../core/workers/spawn-worker.ts';
import { BACKGROUND_NICENESS } from '../../core/workers/thread-priority.ts';
import { WorkerPool } from '../../core/workers/worker-pool.ts';
import { type AnyChartSpecInput, renderChartPng } from './render-chart.ts';

/** Turns chart specs into PNG bytes. */
export interface ChartRenderer {
  render(spec: AnyChartSpecInput): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Renders in worker threads: one chart costs tens to hundreds of milliseconds of CPU (ECharts SSR
 * and resvg), which on the event loop would hold up every webhook and health check meanwhile. The
 * threads run below normal priority, so on a busy machine renders wait for the event loop, not it
 * for them.
 */
export function createWorkerChartRenderer(threads = 1): ChartRenderer {
  const pool = new WorkerPool<AnyChartSpecInput, Uint8Array>({
    entry: workerEntry(import.meta.url, 'chart-worker'),
    size: threads,
    name: 'chart-render',
    niceness: BACKGROUND_NICENESS,
  });
  return {
    async render(spec) {
      const bytes = await pool.run(spec);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    close: () => pool.close(),
  };
}

/** Renders on the calling thread: for scripts and tests that want no threads. */
export const inlineChartRenderer: ChartRenderer = {
  render: async (spec) => renderChartPng(spec).png,
  close: async () => {},
};
