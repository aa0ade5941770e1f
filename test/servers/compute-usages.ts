import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ARM_TOKEN, makeCertificate } from '../integration/remediation/arm-server.ts';

/** One usage row as ARM answers it. */
export interface UsageRow {
  name: { value: string; localizedValue: string };
  currentValue: number;
  limit: number;
  unit: 'Count';
}

/**
 * A local HTTPS server speaking `GET /subscriptions/{id}/providers/Microsoft.Compute/locations/
 * {region}/usages` as Resource Manager does: bearer auth, api-version, ARM error bodies, and the
 * list split over pages with `nextLink` (the SDK must follow it). Regions it does not know answer
 * ARM's 404 `NoRegisteredProviderFound`-like error.
 */
export async function startComputeUsagesServer(
  subscriptionId: string,
  regions: Record<string, UsageRow[]>,
  pageSize = 2,
) {
  const { key, cert } = makeCertificate();
  const requests: string[] = [];
  const error = (code: string, message: string) => JSON.stringify({ error: { code, message } });
  const server: Server = createServer({ key, cert }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const reply = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      };
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      if (req.headers.authorization !== `Bearer ${ARM_TOKEN}`)
        return reply(401, error('AuthenticationFailed', 'The Authorization header is missing or invalid.'));
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion)
        return reply(
          400,
          error('MissingApiVersionParameter', 'The api-version query parameter is required.'),
        );
      const m = new RegExp(
        `^/subscriptions/${subscriptionId}/providers/Microsoft\\.Compute/locations/([a-z0-9]+)/usages$`,
      ).exec(url.pathname);
      if (!m || req.method !== 'GET')
        return reply(404, error('ResourceNotFound', 'The resource was not found.'));
      const rows = regions[m[1]!];
      if (!rows)
        return reply(
          404,
          error('LocationNotAvailableForResourceType', `The location ${m[1]} is not available.`),
        );
      const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
      const page = rows.slice(skip, skip + pageSize);
      const next = skip + pageSize < rows.length;
      return reply(
        200,
        JSON.stringify({
          value: page,
          ...(next
            ? {
                nextLink: `https://${req.headers.host}${url.pathname}?api-version=${apiVersion}&$skiptoken=${skip + pageSize}`,
              }
            : {}),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: cert,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
