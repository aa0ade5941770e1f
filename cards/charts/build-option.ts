import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { ChartPanel, ChartSpec, ThresholdTone } from './chart-spec.ts';
import { CHART_FONT_FAMILY } from './fonts.ts';
import { formatTimeLabel, timeZoneName } from './time-labels.ts';

/** Colour-blind-friendlier palette with enough contrast on white. */
const PALETTE = ['#2563eb', '#ea580c', '#059669', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#9f1239'];
const TONE_COLOURS: Record<ThresholdTone, string> = {
  warning: '#d97706',
  critical: '#dc2626',
  info: '#6b7280',
};
const TEXT = '#1f2937';
const MUTED = '#6b7280';

const LEFT = 64;
/** Room right of the plots for threshold labels. */
const RIGHT = 84;
const PANEL_HEADER = 24;
const PANEL_GAP = 18;
const FOOTER = 46;

/** Layout of the stacked panels, in pixels from the top. */
export interface Layout {
  width: number;
  height: number;
  headerHeight: number;
  plotHeight: number;
  panelTops: number[];
}

function plotHeightFor(panels: number): number {
  return panels === 1 ? 250 : panels === 2 ? 165 : 120;
}

/** Pixel layout of a spec: its natural height unless one is given, and where each panel starts. */
export function computeLayout(spec: ChartSpec): Layout {
  const n = spec.panels.length;
  const headerHeight = spec.subtitle ? 62 : 44;
  const natural = headerHeight + n * (PANEL_HEADER + plotHeightFor(n)) + (n - 1) * PANEL_GAP + FOOTER;
  const height = spec.height ?? natural;
  const plotHeight = Math.max(60, (height - headerHeight - FOOTER - (n - 1) * PANEL_GAP) / n - PANEL_HEADER);
  const panelTops = spec.panels.map((_, i) => headerHeight + i * (PANEL_HEADER + plotHeight + PANEL_GAP));
  return { width: spec.width, height, headerHeight, plotHeight, panelTops };
}

/** A "nice" tick step (1, 2, 2.5 or 5 × 10^k) giving about four intervals. */
function niceStep(span: number): number {
  const raw = Math.max(span, 1e-9) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return nice * mag;
}

/** Y bounds covering data and threshold lines, so a threshold is never drawn off the plot. */
export function yBounds(panel: ChartPanel): { min: number; max: number; interval: number } {
  const values = panel.series.flatMap((s) =>
    s.points.map((p) => p[1]).filter((v): v is number => v !== null),
  );
  values.push(...panel.thresholds.map((t) => t.value));
  let lo = panel.min ?? (values.length ? Math.min(...values) : 0);
  let hi = panel.max ?? (values.length ? Math.max(...values) : 1);
  if (hi <= lo) hi = lo + 1;
  const step = niceStep(hi - lo);
  if (panel.min === undefined) lo = Math.floor(lo / step) * step;
  if (panel.max === undefined) hi = Math.ceil((hi + step * 0.1) / step) * step;
  // Fixed bounds (0–100 %) may not be multiples of the data's step: re-derive the step from them.
  const interval = panel.min === undefined && panel.max === undefined ? step : niceStep(hi - lo);
  return { min: lo, max: hi, interval };
}

/** A value with its unit, as axis labels and legends show it: `84 °C`, `2.3%`. */
export function formatValue(value: number, unit: string): string {
  const abs = Math.abs(value);
  const text = abs >= 10 || Number.isInteger(value) ? String(Math.round(value)) : value.toFixed(1);
  return unit === '%' ? `${text}%` : unit ? `${text} ${unit}` : text;
}

function lastValue(points: ReadonlyArray<readonly [number, number | null]>): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i]?.[1];
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}

function timeExtent(spec: ChartSpec): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const panel of spec.panels) {
    for (const s of panel.series) {
      for (const [t] of s.points) {
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
    }
  }
  return Number.isFinite(lo) ? [lo, hi > lo ? hi : lo + 60_000] : [0, 60_000];
}

const MARKER_COLOUR = '#374151';

/** Threshold lines of a panel, plus the spec's time markers (labelled on the top panel only). */
function markLinesFor(spec: ChartSpec, panel: ChartPanel, index: number): LineSeriesOption['markLine'] {
  const thresholds = panel.thresholds.map((t) => ({
    yAxis: t.value,
    lineStyle: { color: TONE_COLOURS[t.tone], type: 'dashed' as const, width: 1.2 },
    label: {
      formatter: `${t.label} ${formatValue(t.value, panel.unit)}`,
      position: 'end' as const,
      distance: 6,
      color: TONE_COLOURS[t.tone],
      fontSize: 11,
      fontFamily: CHART_FONT_FAMILY,
    },
  }));
  const [tMin, tMax] = timeExtent(spec);
  const mid = (tMin + tMax) / 2;
  const markers = spec.markers.map((m) => ({
    xAxis: m.at,
    lineStyle: { color: MARKER_COLOUR, type: 'solid' as const, width: 1.2 },
    label: {
      show: index === 0,
      formatter: m.label,
      position: 'insideEndTop' as const,
      // Horizontal, just inside the top of the plot, on the side with more room.
      rotate: 0,
      align: m.at > mid ? ('right' as const) : ('left' as const),
      offset: [m.at > mid ? -5 : 5, 16],
      // A backing box keeps the words legible where a series passes behind them.
      backgroundColor: 'rgba(255,255,255,0.9)',
      borderColor: MARKER_COLOUR,
      borderWidth: 0.6,
      borderRadius: 3,
      padding: [2, 4],
      color: MARKER_COLOUR,
      fontSize: 11,
      fontFamily: CHART_FONT_FAMILY,
    },
  }));
  const data = [...thresholds, ...markers];
  return data.length ? { silent: true, symbol: 'none', animation: false, data } : undefined;
}

/** Builds the ECharts option for a chart spec: stacked panels sharing one time axis. */
export function buildChartOption(spec: ChartSpec): EChartsOption {
  const layout = computeLayout(spec);
  const [tMin, tMax] = timeExtent(spec);
  const span = tMax - tMin;
  const last = spec.panels.length - 1;
  let colour = 0;

  const titles: NonNullable<EChartsOption['title']> = [
    {
      text: spec.title,
      subtext: spec.subtitle,
      left: LEFT - 50,
      top: 10,
      textStyle: { fontSize: 17, fontWeight: 'bold', color: TEXT, fontFamily: CHART_FONT_FAMILY },
      subtextStyle: { fontSize: 12, color: MUTED, fontFamily: CHART_FONT_FAMILY },
    },
  ];
  const legends: NonNullable<EChartsOption['legend']> = [];
  const grids: NonNullable<EChartsOption['grid']> = [];
  const xAxes: NonNullable<EChartsOption['xAxis']> = [];
  const yAxes: NonNullable<EChartsOption['yAxis']> = [];
  const series: LineSeriesOption[] = [];

  spec.panels.forEach((panel, i) => {
    const top = layout.panelTops[i] ?? 0;
    const bounds = yBounds(panel);
    const panelTitle = panel.title
      ? panel.unit
        ? `${panel.title} (${panel.unit})`
        : panel.title
      : panel.unit;
    titles.push({
      text: panelTitle,
      left: LEFT,
      top: top + 2,
      textStyle: { fontSize: 13, fontWeight: 'bold', color: TEXT, fontFamily: CHART_FONT_FAMILY },
    });
    // ECharts ties legend entries to series by name across the whole chart, so names are made
    // unique per panel and the prefix is stripped again for display.
    const idOf = (name: string) => `${i}\u241f${name}`;
    const lastValues = new Map(panel.series.map((s) => [idOf(s.name), lastValue(s.points)]));
    legends.push({
      data: panel.series.map((s) => idOf(s.name)),
      icon: 'roundRect',
      // Right of the panel title (about 8 px a character at 13 px bold): a legend that wraps stays off it.
      left: LEFT + panelTitle.length * 8 + 24,
      right: RIGHT,
      top: top + 3,
      itemWidth: 18,
      itemHeight: 4,
      itemGap: 14,
      textStyle: { fontSize: 12, color: TEXT, fontFamily: CHART_FONT_FAMILY },
      formatter: (name: string) => {
        const v = lastValues.get(name);
        const shown = name.slice(name.indexOf('\u241f') + 1);
        return v === undefined ? shown : `${shown}  ${formatValue(v, panel.unit)}`;
      },
    });
    grids.push({ left: LEFT, right: RIGHT, top: top + PANEL_HEADER, height: layout.plotHeight });
    xAxes.push({
      type: 'time',
      gridIndex: i,
      min: tMin,
      max: tMax,
      splitNumber: 6,
      axisLine: { lineStyle: { color: '#9ca3af' } },
      axisTick: { show: i === last },
      splitLine: { show: true, lineStyle: { color: '#f3f4f6' } },
      axisLabel: {
        show: i === last,
        color: MUTED,
        fontSize: 12,
        fontFamily: CHART_FONT_FAMILY,
        hideOverlap: true,
        formatter: (value: number) => formatTimeLabel(value, spec.timeZone, span),
      },
    });
    yAxes.push({
      type: 'value',
      gridIndex: i,
      min: bounds.min,
      max: bounds.max,
      interval: bounds.interval,
      axisLabel: {
        color: MUTED,
        fontSize: 11,
        fontFamily: CHART_FONT_FAMILY,
        formatter: (v: number) => formatValue(v, panel.unit),
      },
      splitLine: { lineStyle: { color: '#e5e7eb' } },
    });
    panel.series.forEach((s, j) => {
      const color = s.color ?? PALETTE[colour++ % PALETTE.length];
      series.push({
        type: 'line',
        name: idOf(s.name),
        xAxisIndex: i,
        yAxisIndex: i,
        data: s.points.map(([t, v]) => [t, v]),
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: s.dashed ? 1.5 : 2, type: s.dashed ? 'dashed' : 'solid', color },
        itemStyle: { color },
        z: 3,
        markLine: j === 0 ? markLinesFor(spec, panel, i) : undefined,
      });
    });
  });

  return {
    animation: false,
    backgroundColor: '#ffffff',
    useUTC: true,
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    title: titles,
    legend: legends,
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
    graphic: [
      {
        type: 'text',
        right: RIGHT,
        bottom: 8,
        style: {
          text: `Times in ${timeZoneName(spec.timeZone, tMax)}`,
          fill: MUTED,
          fontSize: 11,
          fontFamily: CHART_FONT_FAMILY,
        },
      },
    ],
  };
}
