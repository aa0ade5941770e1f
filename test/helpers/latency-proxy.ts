import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy forwarded, as the target saw it. */
export interface ProxiedRequest {
  method: string;
  /** Path and query string, e.g. `/apis/apps/v1/namespaces/ml/deployments/x/scale?dryRun=All`. */
  path: string;
  /** The target's status code once it has answered (the answer may still be held back). */
  status?: number;
}

export interface LatencyProxyOptions {
  /** Which requests to hold back (default: all); the others are answered at once. */
  hold?(req: IncomingMessage): boolean;
}

export interface LatencyProxy {
  /** The proxy's base URL with the target's path prefix, e.g. `http://127.0.0.1:p/api/`. */
  url: string;
  /** Requests the target has answered whose answer is still held back. */
  held(): number;
  /** Every request forwarded so far, in arrival order. */
  requests: readonly ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` at once and holds the answer back for `delayMs`: the remote
 * side has acted, the caller does not know yet — the window in which a crash is most awkward.
 */
export async function startLatencyProxy(
  target: string,
  delayMs: number,
  options: LatencyProxyOptions = {},
): Promise<LatencyProxy> {
  const base = new URL(target);
  let holding = 0;
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    const logged: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/' };
    requests.push(logged);
    const delay = (options.hold?.(req) ?? true) ? delayMs : 0;
    const upstream = request(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          logged.status = answer.statusCode ?? 502;
          holding++;
          setTimeout(() => {
            holding--;
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          }, delay);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base.pathname}`,
    held: () => holding,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
