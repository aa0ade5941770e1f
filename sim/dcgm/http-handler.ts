import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DcgmCluster } from './cluster.ts';
import { renderDcgmMetrics } from './exposition.ts';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A `node:http` request handler serving the simulator at `GET /metrics` (all nodes) and
 * `GET /metrics?node=node-7` (one node, like one exporter per node). The bot mounts it; a real
 * Prometheus can scrape it. Answers 404 for other paths and 405 for other methods.
 */
export function createDcgmMetricsHandler(cluster: DcgmCluster, path = '/metrics') {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    const node = url.searchParams.get('node') ?? undefined;
    if (node !== undefined && !cluster.nodes.some((n) => n.name === node)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`unknown node ${node}\n`);
      return;
    }
    // One node's exporter that is down does not answer; Prometheus records `up 0` for it.
    if (node !== undefined && !cluster.sample().find((n) => n.node.name === node)?.exporterUp) {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`exporter on ${node} is down\n`);
      return;
    }
    const body = renderDcgmMetrics(cluster, { node });
    res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
