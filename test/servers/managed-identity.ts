import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the identity endpoint needs: the token it issues and the secret callers must present. */
export interface ManagedIdentityOptions {
  token: string;
  /** The secret an App Service managed identity caller must send in `X-IDENTITY-HEADER`. */
  identityHeader: string;
}

/**
 * Answers `GET /msi/token` as the App Service managed identity endpoint does (api-version
 * 2019-08-01), so `DefaultAzureCredential` gets a real token offline; records each resource asked
 * for in `tokenRequests`. Returns false for any other request, which the caller then serves.
 */
export function serveManagedIdentity(
  req: IncomingMessage,
  res: ServerResponse,
  options: ManagedIdentityOptions,
  tokenRequests: string[],
): boolean {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  if (req.method !== 'GET' || url.pathname !== '/msi/token') return false;
  const send = (status: number, json: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  };
  if (req.headers['x-identity-header'] !== options.identityHeader) {
    send(401, { statusCode: 401, message: 'Unauthorized: X-IDENTITY-HEADER is missing or wrong' });
    return true;
  }
  const resource = url.searchParams.get('resource') ?? '';
  if (url.searchParams.get('api-version') !== '2019-08-01' || !resource) {
    send(400, { statusCode: 400, message: 'api-version 2019-08-01 and resource are required' });
    return true;
  }
  tokenRequests.push(resource);
  send(200, {
    access_token: options.token,
    expires_on: String(Math.floor(Date.now() / 1000) + 3600),
    resource,
    token_type: 'Bearer',
    client_id: '00000000-0000-0000-0000-00000000c11e',
  });
  return true;
}

/**
 * The managed-identity endpoint on its own loopback HTTP port, as App Service serves it to the
 * process (`IDENTITY_ENDPOINT` is an http://localhost URL there too). For tests whose Azure API is
 * a TLS server the identity client cannot be told to trust: `DefaultAzureCredential` in the test
 * process reads `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` and asks this server for its token.
 */
export async function startManagedIdentityEndpoint(options: ManagedIdentityOptions) {
  const tokenRequests: string[] = [];
  const server = createServer((req, res) => {
    if (serveManagedIdentity(req, res, options, tokenRequests)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: 404, message: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    /** The value for IDENTITY_ENDPOINT. */
    url: `http://127.0.0.1:${port}/msi/token`,
    tokenRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
