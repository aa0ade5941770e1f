import { Resvg } from '@resvg/resvg-js';
import { HeatmapChart, LineChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { buildChartOption, computeLayout } from './build-option.ts';
import { type ChartSpecInput, chartSpec } from './chart-spec.ts';
import { CHART_FONT_FAMILY, chartFontFiles } from './fonts.ts';
import { buildHeatmapOption, heatmapLayout } from './heatmap-option.ts';
import { type HeatmapSpecInput, heatmapSpec } from './heatmap-spec.ts';
import { loadFontMetrics, measureWith, parseCssFont } from './text-metrics.ts';

// Only the parts line charts and heatmaps need: smaller to load than the full bundle.
echarts.use([
  LineChart,
  HeatmapChart,
  VisualMapContinuousComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  MarkLineComponent,
  GraphicComponent,
  SVGRenderer,
]);

let measuring = false;

/**
 * Without a canvas, ECharts guesses text widths from an Arial-like table, but resvg draws DejaVu
 * Sans, which is wider: legends and boxed labels came out too narrow for their text. Measuring
 * with the font's own advance widths (read once) makes layout match the pixels.
 */
function measureWithChartFonts(): void {
  if (measuring) return;
  const [regular, bold] = chartFontFiles().map(loadFontMetrics);
  echarts.setPlatformAPI({
    measureText(text: string, font?: string) {
      const f = parseCssFont(font);
      return { width: measureWith((f.bold ? bold : regular)!, text, f.sizePx) };
    },
  });
  measuring = true;
}

/** What the chart pipeline draws: a time-series chart, or a heatmap (`kind: 'heatmap'`). */
export type AnyChartSpecInput = ChartSpecInput | HeatmapSpecInput;

function optionOf(input: AnyChartSpecInput) {
  if ('kind' in input && input.kind === 'heatmap') {
    const spec = heatmapSpec.parse(input);
    return { option: buildHeatmapOption(spec), ...heatmapLayout(spec) };
  }
  const spec = chartSpec.parse(input);
  return { option: buildChartOption(spec), ...computeLayout(spec) };
}

export interface RenderedChart {
  png: Buffer;
  width: number;
  height: number;
}

/** Renders a chart spec to SVG text with ECharts' server-side renderer (no DOM, no browser). */
export function renderChartSvg(input: AnyChartSpecInput): { svg: string; width: number; height: number } {
  measureWithChartFonts();
  const { option, width, height } = optionOf(input);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return { svg: chart.renderToSVGString(), width, height };
  } finally {
    chart.dispose();
  }
}

/**
 * Renders a chart spec to PNG: ECharts SSR to SVG, then resvg with explicit DejaVu font files.
 * `scale` 2 gives a sharp image on high-density screens at twice the bytes.
 */
export function renderChartPng(input: AnyChartSpecInput, scale = 1): RenderedChart {
  const { svg, width, height } = renderChartSvg(input);
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'width', value: Math.round(width * scale) },
    font: { loadSystemFonts: false, fontFiles: chartFontFiles(), defaultFontFamily: CHART_FONT_FAMILY },
  });
  const png = resvg.render().asPng();
  return { png, width: Math.round(width * scale), height: Math.round(height * scale) };
}
