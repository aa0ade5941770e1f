import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** One span as OTLP/HTTP JSON carries it (the fields the tests look at). */
const otlpSpan = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  attributes: z
    .array(
      z.object({
        key: z.string(),
        value: z.object({
          stringValue: z.string().optional(),
          intValue: z.union([z.string(), z.number()]).optional(),
        }),
      }),
    )
    .default([]),
});

const exportRequest = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: otlpSpan.shape.attributes }).optional(),
      scopeSpans: z.array(z.object({ spans: z.array(otlpSpan).default([]) })).default([]),
    }),
  ),
});

export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  service: string | undefined;
  attributes: Record<string, string>;
}

export interface OtlpCollector {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT (traces go to `/v1/traces`). */
  url: string;
  spans: CollectedSpan[];
  /** Every export request body as received (to check what left the bot, e.g. no secrets). */
  bodies: string[];
  close(): Promise<void>;
}

function flatten(attrs: z.infer<typeof otlpSpan>['attributes']): Record<string, string> {
  return Object.fromEntries(attrs.map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue ?? '')]));
}

/** A local OpenTelemetry collector speaking OTLP/HTTP with JSON bodies (the JS exporter's default). */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const spans: CollectedSpan[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      const parsed = exportRequest.safeParse(JSON.parse(body || '{}'));
      if (!parsed.success) {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"message":"not an OTLP JSON export"}');
        return;
      }
      for (const rs of parsed.data.resourceSpans) {
        const service = flatten(rs.resource?.attributes ?? [])['service.name'];
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              name: s.name,
              service,
              attributes: flatten(s.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
