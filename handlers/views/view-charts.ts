import type { FastifyInstance } from 'fastify';
import { ChartCache } from '../../cards/charts/chart-cache.ts';
import type { ChartRenderer } from '../../cards/charts/chart-renderer.ts';
import type { AnyChartSpecInput } from '../../cards/charts/render-chart.ts';
import type { Clock } from '../../core/clock.ts';
import { errorBody } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { ownUrl } from '../queries/chart-route.ts';

/** Where view charts are served: `GET /view-charts/<id>.png`. */
export const VIEW_CHART_PATH = '/view-charts';

/** A rendered view chart: its link, its alt text and how long the render took. */
export interface ViewChart {
  url: string;
  alt: string;
  renderMs: number;
}

/**
 * View charts through the chart pipeline (ECharts + resvg in the worker threads): a view is a
 * snapshot, so its PNG is rendered once and kept under an unguessable id, like query charts.
 */
export function createViewCharts(options: {
  renderer: ChartRenderer;
  clock: Clock;
  logger: Logger;
  publicUrl: string | undefined;
}) {
  const cache = new ChartCache(options.clock);
  let server: FastifyInstance | undefined;
  return {
    /** Renders and links a chart; a chart that fails to render is left out of the card. */
    async render(spec: AnyChartSpecInput, alt: string): Promise<ViewChart | undefined> {
      const base = options.publicUrl ?? (server && ownUrl(server));
      if (!base) return undefined;
      const started = performance.now();
      try {
        const id = cache.put(await options.renderer.render(spec));
        return { url: `${base}${VIEW_CHART_PATH}/${id}.png`, alt, renderMs: performance.now() - started };
      } catch (err) {
        options.logger.warn({ err, code: 'VIEW_CHART_FAILED' }, 'view chart not rendered');
        return undefined;
      }
    },
    registerRoutes(app: FastifyInstance): void {
      server = app;
      app.get<{ Params: { file: string } }>(`${VIEW_CHART_PATH}/:file`, async (req, reply) => {
        const m = /^([0-9a-f]{32})\.png$/.exec(req.params.file);
        const png = m ? cache.get(m[1]!) : undefined;
        if (!png)
          return reply
            .code(404)
            .header('cache-control', 'no-store')
            .send(
              errorBody(
                'CHART_NOT_FOUND',
                'This chart has expired or never existed; ask for the view again.',
              ),
            );
        return reply
          .header('content-type', 'image/png')
          .header('cache-control', 'private, max-age=3600')
          .send(png);
      });
    },
  };
}
export type ViewCharts = ReturnType<typeof createViewCharts>;
