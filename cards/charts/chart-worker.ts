/**
 * Worker thread entry of the chart renderer: ECharts SSR and resvg run here, off the bot's event
 * loop. The parent sends a chart spec, the worker answers with the PNG bytes.
 */
import { serveTasks } from '../../core/workers/worker-protocol.ts';
import { type AnyChartSpecInput, renderChartPng } from './render-chart.ts';

serveTasks((spec: AnyChartSpecInput) => {
  const { png } = renderChartPng(spec);
  // A view of the same bytes: structured clone copies them once, as a Uint8Array.
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
});
