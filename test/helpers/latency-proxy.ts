import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LatencyProxy {
  /** The proxy's base URL with the target's path prefix, e.g. `http://127.0.0.1:p/api/`. */
  url: string;
  /** Requests the target has answered whose answer is still held back. */
  held(): number;
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` at once and holds the answer back for `delayMs`: the remote
 * side has acted, the caller does not know yet — the window in which a crash is most awkward.
 */
export async function startLatencyProxy(target: string, delayMs: number): Promise<LatencyProxy> {
  const base = new URL(target);
  let holding = 0;
  const server = createServer((req, res) => {
    const upstream = request(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          holding++;
          setTimeout(() => {
            holding--;
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          }, delayMs);
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
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
