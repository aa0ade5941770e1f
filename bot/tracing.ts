import { ROOT_CONTEXT, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TraceContext, Tracing } from '../core/tracing.ts';
import type { Config } from './config.ts';

export type { Tracing } from '../core/tracing.ts';

/** Incidents whose latest trace is remembered; older ones start traces of their own. */
const REMEMBERED_INCIDENTS = 10_000;

/**
 * OTLP/HTTP export when configured; otherwise spans cost nothing and go nowhere. Error messages
 * recorded on spans pass through `scrub` first, like everything the bot logs.
 */
export function createTracing(config: Config['tracing'], scrub: (text: string) => string): Tracing {
  let provider: BasicTracerProvider | undefined;
  let tracer: Tracer;
  if (config) {
    provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
    });
    tracer = provider.getTracer('oncall-bot');
  } else {
    tracer = trace.getTracer('oncall-bot-noop');
  }
  const byIncident = new Map<number, TraceContext>();

  return {
    async span(name, attributes, fn, parent) {
      const ctx = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
      const span = tracer.startSpan(name, { attributes }, ctx);
      try {
        return await fn(span);
      } catch (err) {
        const message = scrub(err instanceof Error ? err.message : String(err));
        span.recordException({ name: err instanceof Error ? err.name : 'Error', message });
        span.setStatus({ code: SpanStatusCode.ERROR, message });
        throw err;
      } finally {
        span.end();
      }
    },
    noteIncidents(incidentIds, span) {
      const sc = span.spanContext();
      if (!trace.isSpanContextValid(sc)) return;
      for (const id of incidentIds) {
        byIncident.delete(id);
        byIncident.set(id, sc);
      }
      // A Map iterates in insertion order: drop the least recently changed incidents.
      for (const id of byIncident.keys()) {
        if (byIncident.size <= REMEMBERED_INCIDENTS) break;
        byIncident.delete(id);
      }
    },
    incidentContext: (id) => byIncident.get(id),
    async shutdown() {
      await provider?.shutdown();
    },
  };
}
