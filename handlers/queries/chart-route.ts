import type { FastifyInstance } from 'fastify';
import type { ChartCache } from '../../cards/charts/chart-cache.ts';
import { errorBody } from '../../core/errors.ts';

/** Where query charts are served: `GET /kql-charts/<id>.png`. */
export const KQL_CHART_PATH = '/kql-charts';

/** Serves cached query charts; 404 for unknown or expired ids. */
export function registerKqlChartRoute(app: FastifyInstance, cache: ChartCache): void {
  app.get<{ Params: { file: string } }>(`${KQL_CHART_PATH}/:file`, async (req, reply) => {
    const m = /^([0-9a-f]{32})\.png$/.exec(req.params.file);
    const png = m ? cache.get(m[1]!) : undefined;
    if (!png) {
      return reply
        .code(404)
        .header('cache-control', 'no-store')
        .send(errorBody('CHART_NOT_FOUND', 'This chart has expired or never existed; run the query again.'));
    }
    return reply
      .header('content-type', 'image/png')
      .header('cache-control', 'private, max-age=3600')
      .send(png);
  });
}

/** The bot's own URL when no public URL is configured (local mode). */
export function ownUrl(app: FastifyInstance): string | undefined {
  const address = app.server.address();
  if (!address || typeof address === 'string') return undefined;
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
