import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import type { Clock } from '../../../core/clock.ts';

/** A self-signed certificate for 127.0.0.1, made with the openssl binary. */
export function makeCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'arm-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PoolState {
  properties: Record<string, unknown> & {
    count: number;
    minCount?: number;
    maxCount?: number;
    enableAutoScaling?: boolean;
  };
  etagSeq: number;
  /** When an update in flight settles (provisioningState Updating → Succeeded). */
  settlesAt: number | null;
}

export const ARM_TOKEN = 'arm-test-token';

/** A token credential handing out a fixed bearer token, as a managed identity would a real one. */
export function armCredential(token = ARM_TOKEN): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}
export const CLUSTER = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  resourceGroup: 'rg-ml',
  cluster: 'aks-ml',
};
const OPERATION_PATH = new RegExp(
  `^/subscriptions/${CLUSTER.subscriptionId}/providers/Microsoft.ContainerService/locations/westeurope/operations/(op-\\d+)$`,
);
const PATH = new RegExp(
  `^/subscriptions/${CLUSTER.subscriptionId}/resourceGroups/${CLUSTER.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${CLUSTER.cluster}/agentPools/([a-z0-9]+)$`,
);

/**
 * A local HTTPS server speaking the AKS agentPools API as far as the bot uses it: GET and PUT,
 * bearer auth, api-version, ARM error bodies, eTag/If-Match (412), provisioningState that stays
 * `Updating` until `settleMs` of the injected clock pass, and ARM's long-running-operation
 * protocol: a PUT answers with an `Azure-AsyncOperation` URL whose status (`InProgress` →
 * `Succeeded`) the SDK's poller reads before it fetches the pool again.
 */
export async function startArmServer(clock: Clock, settleMs = 60_000) {
  const { key, cert } = makeCertificate();
  const pools = new Map<string, PoolState>([
    [
      'gpu',
      {
        properties: {
          count: 8,
          vmSize: 'Standard_ND96isr_H100_v5',
          mode: 'User',
          enableAutoScaling: false,
          minCount: 2,
          maxCount: 12,
          orchestratorVersion: '1.32.4',
        },
        etagSeq: 1,
        settlesAt: null,
      },
    ],
    [
      'gpuauto',
      {
        properties: {
          count: 4,
          vmSize: 'Standard_ND96isr_H100_v5',
          mode: 'User',
          enableAutoScaling: true,
          minCount: 2,
          maxCount: 6,
        },
        etagSeq: 1,
        settlesAt: null,
      },
    ],
  ]);
  const puts: Record<string, unknown>[] = [];
  /** Async operations: which pool, and the eTag sequence its PUT produced. */
  const operations = new Map<string, { pool: string; etagSeq: number; startedAt: number }>();

  function view(name: string, s: PoolState) {
    if (s.settlesAt !== null && clock.now() >= s.settlesAt) {
      s.settlesAt = null;
      s.etagSeq++;
      const p = s.properties;
      if (p.enableAutoScaling && p.minCount !== undefined && p.count < p.minCount) p.count = p.minCount;
    }
    return {
      id: `/subscriptions/${CLUSTER.subscriptionId}/resourceGroups/${CLUSTER.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${CLUSTER.cluster}/agentPools/${name}`,
      name,
      type: 'Microsoft.ContainerService/managedClusters/agentPools',
      properties: {
        ...s.properties,
        provisioningState: s.settlesAt === null ? 'Succeeded' : 'Updating',
        eTag: `etag-${s.etagSeq}`,
        powerState: { code: 'Running' },
      },
    };
  }

  const error = (code: string, message: string) => JSON.stringify({ error: { code, message } });

  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      };
      if (req.headers.authorization !== `Bearer ${ARM_TOKEN}`)
        return reply(
          401,
          error(
            'AuthenticationFailed',
            'Authentication failed. The Authorization header is missing or invalid.',
          ),
        );
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      if (!url.searchParams.get('api-version'))
        return reply(
          400,
          error(
            'MissingApiVersionParameter',
            'The api-version query parameter (?api-version=) is required for all requests.',
          ),
        );
      const opId = OPERATION_PATH.exec(url.pathname)?.[1];
      if (opId) {
        const op = operations.get(opId);
        const state = op && pools.get(op.pool);
        if (!op || !state) return reply(404, error('NotFound', 'The operation was not found.'));
        view(op.pool, state); // settles the pool if its time has come
        const done = state.settlesAt === null || state.etagSeq !== op.etagSeq;
        return reply(
          200,
          JSON.stringify({
            id: url.pathname,
            name: opId,
            status: done ? 'Succeeded' : 'InProgress',
            startTime: new Date(op.startedAt).toISOString(),
          }),
        );
      }
      const name = PATH.exec(url.pathname)?.[1];
      const pool = name ? pools.get(name) : undefined;
      if (!name || !pool) return reply(404, error('NotFound', 'The agent pool was not found.'));
      if (req.method === 'GET') return reply(200, JSON.stringify(view(name, pool)));
      if (req.method !== 'PUT') return reply(405, error('MethodNotAllowed', 'method not allowed'));
      const current = view(name, pool);
      const ifMatch = req.headers['if-match'];
      if (ifMatch && ifMatch !== current.properties.eTag)
        return reply(
          412,
          error('PreconditionFailed', `The eTag ${ifMatch} does not match ${current.properties.eTag}.`),
        );
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        properties: PoolState['properties'];
      };
      puts.push(body.properties);
      const p = body.properties;
      if (p.enableAutoScaling && (p.minCount ?? 0) > (p.maxCount ?? 0))
        return reply(400, error('InvalidParameter', 'minCount must be less than or equal to maxCount.'));
      if (p.count < 0 || p.count > 1000)
        return reply(400, error('InvalidParameter', 'count must be within 0..1000.'));
      pool.properties = { ...p };
      pool.etagSeq++;
      pool.settlesAt = clock.now() + settleMs;
      const id = `op-${operations.size + 1}`;
      operations.set(id, { pool: name, etagSeq: pool.etagSeq, startedAt: clock.now() });
      const operationUrl = `https://${req.headers.host}/subscriptions/${CLUSTER.subscriptionId}/providers/Microsoft.ContainerService/locations/westeurope/operations/${id}?api-version=${url.searchParams.get('api-version')}`;
      return reply(200, JSON.stringify(view(name, pool)), { 'azure-asyncoperation': operationUrl });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: cert,
    pools,
    puts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
