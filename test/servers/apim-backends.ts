import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** A backend of the simulated API Management instance: a single backend or a pool. */
export interface ApimBackendState {
  type: 'Single' | 'Pool';
  url?: string;
  services?: { id: string; priority?: number; weight?: number }[];
  etagSeq: number;
}

/** What the server saw of one write. */
export interface SeenWrite {
  method: 'PUT' | 'PATCH';
  backend: string;
  ifMatch: string | undefined;
  status: number;
  body: unknown;
}

export interface ApimBackendServer {
  /** Base URL (`https://127.0.0.1:<port>`): Resource Manager for the bot's SDK client. */
  url: string;
  ca: string;
  backends: Map<string, ApimBackendState>;
  writes: SeenWrite[];
  /** The ARM id of a backend of this instance, as pools list their members. */
  idOf(backend: string): string;
  /** The ETag the server has for a backend now. */
  etagOf(backend: string): string;
  /** Another writer (the portal, a pipeline) changes a pool: its ETag moves on. */
  changeBy(backend: string, services: ApimBackendState['services']): void;
  /** Just before the next write is handled, another writer changes the pool (a lost race). */
  raceNextWrite(backend: string, services: ApimBackendState['services']): void;
  close(): Promise<void>;
}

export interface ApimBackendServerOptions {
  tls: { key: string; cert: string };
  /** The bearer token Resource Manager accepts (what the managed identity hands out). */
  token: string;
  subscriptionId: string;
  resourceGroup: string;
  service: string;
  backends: Record<string, Omit<ApimBackendState, 'etagSeq'>>;
}

export const APIM_API_VERSION = '2024-05-01';

const weightOrPriority = z.number().int().min(0).max(100);
const member = z.strictObject({
  id: z.string().min(1),
  priority: weightOrPriority.optional(),
  weight: weightOrPriority.optional(),
});
const pool = z.strictObject({ services: z.array(member).min(1).max(30) });
/** PATCH: only the properties being changed. */
const patchBody = z.strictObject({
  properties: z.strictObject({ pool: pool.optional(), description: z.string().max(2000).optional() }),
});
/** PUT: the whole backend. */
const putBody = z.strictObject({
  properties: z.looseObject({
    type: z.enum(['Single', 'Pool']),
    url: z.string().optional(),
    protocol: z.string().optional(),
    pool: pool.optional(),
  }),
});

/**
 * A local HTTPS server speaking the API Management backend API (`Microsoft.ApiManagement/service/
 * backends`, api-version 2024-05-01) as far as shift-backend-pool uses it: GET and HEAD with an
 * `ETag` header, PATCH and PUT that require `If-Match` (428 without, 412 Precondition Failed when it
 * is not the current ETag; `*` matches any), request bodies validated with zod (400 with ARM's
 * error body naming the field), pool members that must name existing backends, and bearer auth.
 */
export async function startApimBackendServer(options: ApimBackendServerOptions): Promise<ApimBackendServer> {
  const backends = new Map<string, ApimBackendState>(
    Object.entries(options.backends).map(([name, b]) => [name, { ...b, etagSeq: 1 }]),
  );
  const writes: SeenWrite[] = [];
  const races = new Map<string, ApimBackendState['services']>();
  const serviceId = `/subscriptions/${options.subscriptionId}/resourceGroups/${options.resourceGroup}/providers/Microsoft.ApiManagement/service/${options.service}`;
  const idOf = (name: string) => `${serviceId}/backends/${name}`;
  const etag = (b: ApimBackendState) => `"AAAAAAAA${String(b.etagSeq).padStart(4, '0')}="`;
  const view = (name: string, b: ApimBackendState) => ({
    id: idOf(name),
    type: 'Microsoft.ApiManagement/service/backends',
    name,
    properties: {
      type: b.type,
      protocol: 'http',
      url: b.url ?? (b.type === 'Pool' ? undefined : `https://${name}.openai.azure.com/openai`),
      ...(b.services ? { pool: { services: b.services } } : {}),
    },
  });
  const change = (name: string, services: ApimBackendState['services']) => {
    const b = backends.get(name);
    if (!b) throw new Error(`no backend ${name}`);
    b.services = services;
    b.etagSeq++;
  };
  const error = (code: string, message: string) => JSON.stringify({ error: { code, message } });
  const path = new RegExp(`^${serviceId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/backends/([^/]+)$`, 'i');

  const server: Server = createServer(options.tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(req.method === 'HEAD' ? undefined : body);
      };
      if (req.headers.authorization !== `Bearer ${options.token}`)
        return reply(401, error('AuthenticationFailed', 'The Authorization header is missing or invalid.'));
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      if (url.searchParams.get('api-version') !== APIM_API_VERSION)
        return reply(
          400,
          error('InvalidApiVersionParameter', `api-version ${APIM_API_VERSION} is required.`),
        );
      const name = path.exec(url.pathname)?.[1];
      const backend = name === undefined ? undefined : backends.get(name);
      if (!name || !backend) return reply(404, error('ResourceNotFound', 'The backend was not found.'));
      if (req.method === 'GET' || req.method === 'HEAD')
        return reply(200, JSON.stringify(view(name, backend)), { etag: etag(backend) });
      if (req.method !== 'PATCH' && req.method !== 'PUT')
        return reply(405, error('MethodNotAllowed', `${req.method} is not allowed here.`));
      const race = races.get(name);
      if (race) {
        races.delete(name);
        change(name, race);
      }
      const ifMatch = req.headers['if-match'];
      const seen: SeenWrite = { method: req.method, backend: name, ifMatch, status: 0, body: undefined };
      writes.push(seen);
      const answer = (status: number, body: string, headers?: Record<string, string>) => {
        seen.status = status;
        reply(status, body, headers);
      };
      let raw: unknown;
      try {
        raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(400, error('InvalidRequestContent', 'The request body is not valid JSON.'));
      }
      seen.body = raw;
      if (!ifMatch)
        return answer(
          428,
          error('PreconditionRequired', 'The If-Match header is required for this request.'),
        );
      if (ifMatch !== '*' && ifMatch !== etag(backend))
        return answer(
          412,
          error(
            'PreconditionFailed',
            `The entity's ETag ${etag(backend)} does not match If-Match ${ifMatch}.`,
          ),
        );
      const parsed = (req.method === 'PATCH' ? patchBody : putBody).safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return answer(400, error('ValidationError', `${issue.path.join('.') || 'body'}: ${issue.message}`));
      }
      const services = parsed.data.properties.pool?.services;
      const unknown = services?.filter((s) => {
        const member = path.exec(s.id)?.[1] ?? /^\/backends\/([^/]+)$/.exec(s.id)?.[1];
        return !member || !backends.has(member) || member === name;
      });
      if (unknown?.length)
        return answer(
          400,
          error('ValidationError', `Pool member ${unknown[0]!.id} is not a backend of this service.`),
        );
      if (req.method === 'PUT') {
        const p = (parsed.data as z.infer<typeof putBody>).properties;
        backend.type = p.type;
        backend.url = p.url;
      }
      if (services) backend.services = services;
      backend.etagSeq++;
      return answer(200, JSON.stringify(view(name, backend)), { etag: etag(backend) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: options.tls.cert,
    backends,
    writes,
    idOf,
    etagOf: (name) => etag(backends.get(name)!),
    changeBy: change,
    raceNextWrite: (name, services) => races.set(name, services),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
