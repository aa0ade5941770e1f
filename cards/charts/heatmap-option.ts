import type { EChartsOption } from 'echarts';
import { CHART_FONT_FAMILY } from './fonts.ts';
import type { HeatmapSpec } from './heatmap-spec.ts';
import { formatTimeLabel, timeZoneName } from './time-labels.ts';

const TEXT = '#1f2937';
const MUTED = '#6b7280';
const LEFT = 150;
const RIGHT = 84;
const ROW = 20;
const FOOTER = 46;
/** Idle to busy: pale to dark blue, then the warm end for the saturated GPUs that queue work. */
const SCALE = ['#f1f5f9', '#bfdbfe', '#3b82f6', '#1e3a8a', '#ea580c'];

/** The heatmap's pixel size: a fixed row height, so a node is as tall on a 4-node and a 40-node fleet. */
export function heatmapLayout(spec: HeatmapSpec): { width: number; height: number; headerHeight: number } {
  const headerHeight = spec.subtitle ? 62 : 44;
  return { width: spec.width, height: headerHeight + spec.rows.length * ROW + FOOTER + 20, headerHeight };
}

/** The ECharts option of a heatmap: rows top to bottom in the spec's order, the colour scale on the right. */
export function buildHeatmapOption(spec: HeatmapSpec): EChartsOption {
  const { headerHeight } = heatmapLayout(spec);
  const first = spec.times[0]!;
  const last = spec.times.at(-1)!;
  const span = Math.max(last - first, 60_000);
  const rows = [...spec.rows].reverse(); // ECharts draws the first category at the bottom
  const data: [number, number, number | '-'][] = [];
  rows.forEach((r, y) => {
    r.cells.forEach((v, x) => {
      data.push([x, y, v === null ? '-' : v]);
    });
  });
  const unitText = spec.unit === '%' ? '%' : ` ${spec.unit}`;
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    title: [
      {
        text: spec.title,
        subtext: spec.subtitle,
        left: 16,
        top: 10,
        textStyle: { fontSize: 17, fontWeight: 'bold', color: TEXT, fontFamily: CHART_FONT_FAMILY },
        subtextStyle: { fontSize: 12, color: MUTED, fontFamily: CHART_FONT_FAMILY },
      },
    ],
    // Cells without a sample are not drawn: the grid's grey shows through them.
    grid: {
      left: LEFT,
      right: RIGHT,
      top: headerHeight,
      height: spec.rows.length * ROW,
      show: true,
      backgroundColor: '#d1d5db',
      borderWidth: 0,
    },
    xAxis: {
      type: 'category',
      data: spec.times.map((t) => formatTimeLabel(t, spec.timeZone, span)),
      axisLabel: { color: MUTED, fontSize: 11, fontFamily: CHART_FONT_FAMILY, hideOverlap: true },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#9ca3af' } },
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisLabel: { color: TEXT, fontSize: 11, fontFamily: CHART_FONT_FAMILY },
      axisTick: { show: false },
    },
    visualMap: {
      type: 'continuous',
      min: spec.min,
      max: spec.max,
      orient: 'vertical',
      right: 8,
      top: headerHeight,
      itemHeight: Math.max(60, spec.rows.length * ROW - 40),
      itemWidth: 12,
      calculable: false,
      inRange: { color: SCALE },
      text: [`${spec.max}${unitText}`, `${spec.min}${unitText}`],
      textStyle: { color: MUTED, fontSize: 11, fontFamily: CHART_FONT_FAMILY },
    },
    series: [
      {
        type: 'heatmap',
        data,
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
      },
    ],
    graphic: [
      {
        type: 'text',
        right: RIGHT,
        bottom: 8,
        style: {
          text: `Times in ${timeZoneName(spec.timeZone, last)} · grey: no sample`,
          fill: MUTED,
          fontSize: 11,
          fontFamily: CHART_FONT_FAMILY,
        },
      },
    ],
  };
}
