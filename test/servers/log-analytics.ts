import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { QueryResult } from '../../queries/engine/types.ts';
import { type ManagedIdentityOptions, serveManagedIdentity } from './managed-identity.ts';

/** What the server saw of one query request. */
export interface SeenQuery {
  path: string;
  auth: string | undefined;
  prefer: string | undefined;
  query: string;
}

export interface LogAnalyticsServer {
  /** Base URL (`https://127.0.0.1:<port>`); the query API is under `/v1`, the identity endpoint at `/msi/token`. */
  url: string;
  /** The self-signed certificate (PEM) the server presents; trust it to talk to the server. */
  ca: string;
  queries: SeenQuery[];
  /** Resources the managed identity endpoint issued tokens for. */
  tokenRequests: string[];
  /** When true, answers carry a `PartialError` beside the first two rows, as a truncated result does. */
  partial: boolean;
  close(): Promise<void>;
}

export interface LogAnalyticsServerOptions extends ManagedIdentityOptions {
  /** TLS key and certificate (SAN IP:127.0.0.1). */
  tls: { key: string; cert: string };
  /** Runs the KQL text of a request (the local engine over simulated telemetry). */
  run(query: string): QueryResult;
}

const queryBody = z.object({ query: z.string().min(1), timespan: z.string().optional() });

/**
 * A local HTTPS server speaking the Log Analytics query REST API (`POST /v1/workspaces/{id}/query`)
 * and, for the same process, the App Service managed identity endpoint (`GET /msi/token`,
 * api-version 2019-08-01), so `DefaultAzureCredential` gets a real token offline. Errors use the
 * service's documented codes.
 */
export async function startLogAnalyticsServer(
  options: LogAnalyticsServerOptions,
): Promise<LogAnalyticsServer> {
  const state = { queries: [] as SeenQuery[], tokenRequests: [] as string[], partial: false };
  const server: Server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (serveManagedIdentity(req, res, options, state.tokenRequests)) return;
    const workspace = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(url.pathname)?.[1];
    if (req.method !== 'POST' || !workspace)
      return send(404, {
        error: { code: 'PathNotFoundError', message: `No route ${req.method} ${url.pathname}` },
      });
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      if (!req.headers.authorization)
        return send(401, { error: { code: 'AuthenticationFailed', message: 'Authentication failed.' } });
      if (req.headers.authorization !== `Bearer ${options.token}`)
        return send(403, { error: { code: 'InvalidAuthenticationToken', message: 'The token is invalid.' } });
      let body: z.infer<typeof queryBody>;
      try {
        body = queryBody.parse(JSON.parse(raw));
      } catch {
        return send(400, {
          error: { code: 'BadArgumentError', message: 'The request had some invalid properties' },
        });
      }
      state.queries.push({
        path: url.pathname,
        auth: req.headers.authorization,
        prefer: req.headers.prefer as string | undefined,
        query: body.query,
      });
      let result: QueryResult;
      try {
        result = options.run(body.query);
      } catch (err) {
        return send(400, {
          error: {
            code: 'BadArgumentError',
            message: 'The request had some invalid properties',
            innererror: { code: 'SemanticError', message: (err as Error).message },
          },
        });
      }
      const table = { name: 'PrimaryResult', columns: result.columns, rows: result.rows };
      if (state.partial)
        return send(200, {
          tables: [{ ...table, rows: table.rows.slice(0, 2) }],
          error: {
            code: 'PartialError',
            message: 'There were some errors when processing your query.',
            details: [
              {
                code: 'EngineError',
                message: 'Query result set has exceeded the internal record count limit',
              },
            ],
          },
        });
      return send(200, { tables: [table] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca: options.tls.cert,
    queries: state.queries,
    tokenRequests: state.tokenRequests,
    get partial() {
      return state.partial;
    },
    set partial(v: boolean) {
      state.partial = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
