import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { metricDimension } from '../../queries/azure-metrics/define-metric-query.ts';
import {
  grainMs,
  type MetricRequest,
  type MetricSeries,
} from '../../queries/azure-metrics/metric-request.ts';
import { type ManagedIdentityOptions, serveManagedIdentity } from './managed-identity.ts';

/** What the server saw of one `metrics:getBatch` request. */
export interface SeenMetricsRequest {
  subscriptionId: string;
  auth: string | undefined;
  /** The query string as sent (`metricnames`, `aggregation`, `filter` …). */
  query: Record<string, string>;
  resourceIds: string[];
}

export interface AzureMetricsServer {
  /** Base URL (`https://127.0.0.1:<port>`): the regional endpoint, and `/msi/token`. */
  url: string;
  ca: string;
  requests: SeenMetricsRequest[];
  tokenRequests: string[];
  close(): Promise<void>;
}

export interface AzureMetricsServerOptions extends ManagedIdentityOptions {
  tls: { key: string; cert: string };
  /** The series one resource has for a request (e.g. the simulated platform's). */
  answer(resourceId: string, request: MetricRequest): Promise<MetricSeries[]>;
}

/** Metrics of `Microsoft.CognitiveServices/accounts` the service knows (REST name → display name). */
const KNOWN_METRICS: Readonly<Record<string, string>> = {
  AzureOpenAIRequests: 'Azure OpenAI Requests',
  ProcessedPromptTokens: 'Processed Prompt Tokens',
  GeneratedTokens: 'Generated Completion Tokens',
  TokenTransaction: 'Processed Inference Tokens',
  AzureOpenAIProvisionedManagedUtilizationV2: 'Provisioned-managed Utilization V2',
  AzureOpenAITimeToResponse: 'Time to Response',
};
const UNITS: Readonly<Record<string, string>> = {
  AzureOpenAIProvisionedManagedUtilizationV2: 'Percent',
  AzureOpenAITimeToResponse: 'MilliSeconds',
};

const API_VERSION = '2024-02-01';
const NAMESPACE = 'microsoft.cognitiveservices/accounts';

const queryShape = z.object({
  'api-version': z.literal(API_VERSION),
  metricnamespace: z.string().refine((v) => v.toLowerCase() === NAMESPACE, 'unknown metric namespace'),
  metricnames: z.string().min(1),
  starttime: z.iso.datetime(),
  endtime: z.iso.datetime(),
  interval: z.string().refine((v) => grainMs(v) !== undefined, 'not a supported time grain'),
  aggregation: z
    .string()
    .regex(/^(?:total|average|maximum|minimum|count)(?:,(?:total|average|maximum|minimum|count))*$/i),
  filter: z.string().optional(),
  top: z.coerce.number().int().min(1).optional(),
});
const bodyShape = z.object({ resourceids: z.array(z.string().min(1)).min(1).max(50) });

/** `Dim eq 'value'` terms joined by `and`, as the service documents its filter. */
function parseFilter(
  filter: string | undefined,
): { deployment: string; splitBy: MetricRequest['splitBy'] } | string {
  let deployment = '*';
  let splitBy: MetricRequest['splitBy'];
  if (!filter) return { deployment, splitBy };
  for (const term of filter.split(' and ')) {
    const m = /^(\w+) eq '((?:[^']|'')*)'$/.exec(term.trim());
    if (!m) return `Invalid filter term: ${term}`;
    const [, dim, value] = m as unknown as [string, string, string];
    if (dim.toLowerCase() === 'modeldeploymentname') deployment = value.replace(/''/g, "'");
    else {
      const known = metricDimension.options.find((d) => d.toLowerCase() === dim.toLowerCase());
      if (!known) return `Dimension ${dim} is not a dimension of these metrics`;
      if (value === '*') splitBy = known;
    }
  }
  return { deployment, splitBy };
}

/**
 * A local HTTPS server speaking the Azure Monitor Metrics data-plane batch API
 * (`POST /subscriptions/{id}/metrics:getBatch`, api-version 2024-02-01) as the service answers:
 * lower-case dimension names, localised metric names, errors as `{ error: { code, message } }`;
 * and the App Service managed identity endpoint for `DefaultAzureCredential`.
 */
export async function startAzureMetricsServer(
  options: AzureMetricsServerOptions,
): Promise<AzureMetricsServer> {
  const requests: SeenMetricsRequest[] = [];
  const tokenRequests: string[] = [];
  const server: Server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    const fail = (status: number, code: string, message: string) =>
      send(status, { error: { code, message } });
    if (serveManagedIdentity(req, res, options, tokenRequests)) return;
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const subscriptionId = /^\/subscriptions\/([^/]+)\/metrics:getBatch$/.exec(url.pathname)?.[1];
    if (req.method !== 'POST' || !subscriptionId)
      return fail(404, 'NotFound', `No route ${req.method} ${url.pathname}`);
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', async () => {
      if (!req.headers.authorization) return fail(401, 'AuthenticationFailed', 'Authentication failed.');
      if (req.headers.authorization !== `Bearer ${options.token}`)
        return fail(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
      const query = Object.fromEntries(url.searchParams);
      const q = queryShape.safeParse(query);
      if (!q.success) return fail(400, 'BadRequest', z.prettifyError(q.error));
      let body: z.infer<typeof bodyShape>;
      try {
        body = bodyShape.parse(JSON.parse(raw));
      } catch {
        return fail(400, 'BadRequest', 'The request body must be {"resourceids": [...]}.');
      }
      const names = q.data.metricnames.split(',');
      const unknown = names.find((n) => !(n in KNOWN_METRICS));
      if (unknown)
        return fail(
          400,
          'BadRequest',
          `Failed to find metric configuration for provider: ${NAMESPACE}, metric: ${unknown}`,
        );
      const foreign = body.resourceids.find(
        (id) => !id.toLowerCase().startsWith(`/subscriptions/${subscriptionId.toLowerCase()}/`),
      );
      if (foreign)
        return fail(400, 'BadRequest', `Resource ${foreign} is not in subscription ${subscriptionId}`);
      const filter = parseFilter(q.data.filter);
      if (typeof filter === 'string') return fail(400, 'BadRequest', filter);
      requests.push({
        subscriptionId,
        auth: req.headers.authorization,
        query,
        resourceIds: body.resourceids,
      });
      const request: MetricRequest = {
        namespace: q.data.metricnamespace,
        metricNames: names,
        aggregation: q.data.aggregation,
        interval: q.data.interval,
        startTime: new Date(q.data.starttime),
        endTime: new Date(q.data.endtime),
        top: q.data.top ?? 10,
        ...filter,
      };
      const aggregations = q.data.aggregation.toLowerCase().split(',');
      const values = [];
      for (const resourceId of body.resourceids) {
        const series = await options.answer(resourceId, request);
        values.push({
          starttime: q.data.starttime,
          endtime: q.data.endtime,
          interval: q.data.interval,
          namespace: NAMESPACE,
          resourceregion: 'eastus2',
          resourceid: resourceId,
          value: names.map((name) => ({
            id: `${resourceId}/providers/Microsoft.Insights/metrics/${name}`,
            type: 'Microsoft.Insights/metrics',
            name: { value: name, localizedValue: KNOWN_METRICS[name] },
            displayDescription: `${KNOWN_METRICS[name]} of the resource`,
            unit: UNITS[name] ?? 'Count',
            errorCode: 'Success',
            timeseries: series
              .filter((s) => s.metric === name)
              .slice(0, request.top)
              .map((s) => ({
                metadatavalues: Object.entries(s.dimensions).map(([dim, value]) => ({
                  name: { value: dim.toLowerCase(), localizedValue: dim.toLowerCase() },
                  value,
                })),
                data: s.points.map((p) => ({
                  timeStamp: new Date(p.at).toISOString(),
                  ...Object.fromEntries(
                    aggregations
                      .filter((a) => a in p.values)
                      .map((a) => [a, p.values[a as keyof typeof p.values]]),
                  ),
                })),
              })),
          })),
        });
      }
      send(200, { values });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca: options.tls.cert,
    requests,
    tokenRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
