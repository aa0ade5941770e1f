import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTracing } from '../../../bot/tracing.ts';
import { createSecretScrubber } from '../../../core/secret-scrubber.ts';
import { type OtlpCollector, startOtlpCollector } from '../../servers/otlp-collector.ts';

const SECRET = 'xoxb-1234567890-secret-token';

describe('tracing', () => {
  let collector: OtlpCollector;
  beforeEach(async () => {
    collector = await startOtlpCollector();
  });
  afterEach(() => collector.close());

  it('records a failed stage on its span without the secrets in its error message', async () => {
    const tracing = createTracing(
      { tracesUrl: `${collector.url}/v1/traces`, serviceName: 'oncall-bot-test' },
      createSecretScrubber([SECRET]),
    );
    await expect(
      tracing.span('outbox.deliver', { 'chat.surface': 'slack' }, async () => {
        throw new Error(`chat.postMessage refused token ${SECRET}`);
      }),
    ).rejects.toThrow(SECRET);
    await tracing.shutdown();
    const exported = collector.bodies.join('\n');
    expect(collector.spans.map((s) => s.name)).toEqual(['outbox.deliver']);
    expect(exported).toContain('chat.postMessage refused token');
    expect(exported).not.toContain(SECRET);
  });

  it('joins later stages to the trace of the intake that last changed the incident', async () => {
    const tracing = createTracing(
      { tracesUrl: `${collector.url}/v1/traces`, serviceName: 'oncall-bot-test' },
      (s) => s,
    );
    await tracing.span('alerts.intake', {}, async (span) => tracing.noteIncidents([7], span));
    await tracing.span('card.render', {}, async () => undefined, tracing.incidentContext(7));
    expect(tracing.incidentContext(8)).toBeUndefined();
    await tracing.shutdown();
    const [intake, render] = collector.spans;
    expect(render?.traceId).toBe(intake?.traceId);
    expect(render?.parentSpanId).toBe(intake?.spanId);
  });
});
