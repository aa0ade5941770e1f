/** Attribute values a span can carry (OpenTelemetry's primitive attribute values). */
export type TraceAttributes = Record<string, string | number | boolean>;

/** Where a span sits in its trace; what a later stage needs to join it. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
}

/** The part of a running span the layers use. */
export interface TraceSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setAttributes(attributes: TraceAttributes): unknown;
  spanContext(): TraceContext;
}

/**
 * The bot's traces: one per alert delivery to a webhook, which the later stages of the incidents
 * it touched join — enrichment (evidence queries), card rendering and chat delivery — even though
 * they run later, from the outbox. Parents are passed explicitly rather than through a global
 * context manager, so several bots can share a process (tests) without sharing traces.
 */
export interface Tracing {
  /** Runs `fn` in a span (child of `parent` when given); errors mark the span and pass through. */
  span<T>(
    name: string,
    attributes: TraceAttributes,
    fn: (span: TraceSpan) => Promise<T>,
    parent?: TraceContext,
  ): Promise<T>;
  /** Records that `span` last changed these incidents. */
  noteIncidents(incidentIds: readonly number[], span: TraceSpan): void;
  /** The trace the incident's latest change belongs to, if this process saw it. */
  incidentContext(incidentId: number): TraceContext | undefined;
  /** Sends what is buffered; nothing is recorded afterwards. */
  shutdown(): Promise<void>;
}
