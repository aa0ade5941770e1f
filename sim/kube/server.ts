import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClusterOptions, KubeCluster } from './cluster.ts';
import type { ApiRequest } from './http.ts';
import { route } from './router.ts';
import { internalError, KubeApiError } from './status.ts';
import { serveWatch } from './watch.ts';

/** How to start the simulated API server. */
export interface KubeApiOptions extends ClusterOptions {
  /** Port to listen on; 0 (the default) lets the OS choose. Always bound to 127.0.0.1. */
  port?: number;
  /** Fill the cluster before serving (e.g. `seedAiPlatform`). */
  seed?: (cluster: KubeCluster) => void;
  /** Run the controllers on a timer as well (local mode); tests leave this off and drive the clock. */
  autoTickMs?: number;
}

/** A running simulated API server. */
export interface KubeApiServer {
  /** `http://127.0.0.1:<port>`, for a kubeconfig or a client. */
  url: string;
  /** The cluster behind it: store, clock, `tick()`. */
  state: KubeCluster;
  close(): Promise<void>;
}

const maxBody = 4 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, warnings: string[] = []): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (warnings.length > 0)
    res.setHeader(
      'warning',
      warnings.map((w) => `299 - ${JSON.stringify(w)}`),
    );
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function handle(cluster: KubeCluster, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    // Controllers catch up with the clock before each request, so what a client reads reflects "now".
    cluster.tick();
    const apiReq: ApiRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw.toString('utf8'),
      raw,
      cluster,
    };
    const answer = route(apiReq);
    if (answer.watch) serveWatch(cluster, url.searchParams, answer.watch, req, res);
    else send(res, answer.status, answer.body, answer.warnings);
  } catch (err) {
    const status = err instanceof KubeApiError ? err.status : internalError((err as Error).message).status;
    send(res, status.code, status);
  }
}

/**
 * Start the in-memory Kubernetes API server on 127.0.0.1. Plain HTTP: point a kubeconfig's
 * cluster `server` at `url` (see `kubeconfigFor`).
 */
export async function startKubeApi(opts: KubeApiOptions = {}): Promise<KubeApiServer> {
  const cluster = new KubeCluster(opts);
  opts.seed?.(cluster);
  cluster.tick();
  const server = createServer((req, res) => void handle(cluster, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const timer = opts.autoTickMs ? setInterval(() => cluster.tick(), opts.autoTickMs) : undefined;
  timer?.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state: cluster,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (timer) clearInterval(timer);
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
