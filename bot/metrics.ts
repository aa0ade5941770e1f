import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The bot's own metrics, on a registry of its own (several bots can share a test process). */
export function createMetrics(outboxDepth: () => Promise<number>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'oncall_bot_' });
  const alertsReceived = new Counter({
    name: 'oncall_bot_alerts_received_total',
    help: 'Alerts received, by source and tier (re-deliveries included).',
    labelNames: ['source', 'tier'] as const,
    registers: [registry],
  });
  const intakeRequests = new Counter({
    name: 'oncall_bot_intake_requests_total',
    help: 'Alert webhook requests, by source and HTTP status.',
    labelNames: ['source', 'status'] as const,
    registers: [registry],
  });
  const intakeDuration = new Histogram({
    name: 'oncall_bot_intake_duration_seconds',
    help: 'Time from request to durable storage and response, by source.',
    labelNames: ['source'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'oncall_bot_deliveries_total',
    help: 'Outbox delivery attempts, by surface and outcome (posted, updated, replied, skipped, retry, failed).',
    labelNames: ['surface', 'outcome'] as const,
    registers: [registry],
  });
  const deliveryRetries = new Counter({
    name: 'oncall_bot_delivery_retries_total',
    help: 'Deliveries scheduled for another attempt, by surface.',
    labelNames: ['surface'] as const,
    registers: [registry],
  });
  const deliveryLeaseLost = new Counter({
    name: 'oncall_bot_delivery_lease_lost_total',
    help: 'Deliveries that outlived their lease while another worker claimed the entry, by surface.',
    labelNames: ['surface'] as const,
    registers: [registry],
  });
  const deliveryDuration = new Histogram({
    name: 'oncall_bot_delivery_duration_seconds',
    help: 'Time one delivery attempt took, by surface.',
    labelNames: ['surface'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const deliveryLatency = new Histogram({
    name: 'oncall_bot_delivery_latency_seconds',
    help: 'Time from queueing to successful delivery, retries included, by surface.',
    labelNames: ['surface'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300],
    registers: [registry],
  });
  const llmTokens = new Counter({
    name: 'oncall_bot_llm_tokens_total',
    help: 'Tokens the LLM question router used, by kind (prompt, completion): the bot watches its own AI cost.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const llmRequests = new Counter({
    name: 'oncall_bot_llm_requests_total',
    help: 'LLM question router calls, by outcome (query, clarify, declined, or why it fell back to the offline router).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const queryDuration = new Histogram({
    name: 'oncall_bot_query_duration_seconds',
    help: 'Vetted KQL queries run (commands, questions, evidence), by query id, backend and outcome (ok, error).',
    labelNames: ['query', 'backend', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'oncall_bot_outbox_depth',
    help: 'Messages waiting in the outbox.',
    registers: [registry],
    async collect() {
      try {
        this.set(await outboxDepth());
      } catch {
        // Store unavailable: leave the last value; readiness reports the outage.
      }
    },
  });
  return {
    registry,
    alertsReceived,
    intakeRequests,
    intakeDuration,
    deliveries,
    deliveryRetries,
    deliveryLeaseLost,
    deliveryDuration,
    deliveryLatency,
    llmTokens,
    llmRequests,
    queryDuration,
  };
}

export type BotMetrics = ReturnType<typeof createMetrics>;
