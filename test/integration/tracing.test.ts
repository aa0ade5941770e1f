import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { throttleAlert } from '../helpers/alerts.ts';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';
import { type OtlpCollector, startOtlpCollector } from '../servers/otlp-collector.ts';

describe('OpenTelemetry traces, exported over OTLP/HTTP to a local collector', () => {
  let collector: OtlpCollector;
  let bot: TestBot;
  const clock = new ManualClock();

  beforeAll(async () => {
    collector = await startOtlpCollector();
    bot = await startTestBot(
      { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'oncall-bot-test' },
      clock,
      { localPlatform: true },
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await collector?.close();
  });

  it('follows an alert from the webhook through evidence, rendering and delivery in one trace', async () => {
    expect((await bot.postAlert('azure-monitor', throttleAlert('gpt-4o', 'a001', clock.now()))).status).toBe(
      202,
    );
    await bot.flush();
    // Evidence runs in the background; its card update is delivered once it is stored.
    await vi.waitFor(
      async () => {
        await bot.flush();
        const card = (await bot.consoleMessages()).find((m) => /429/.test(m.text));
        expect(JSON.stringify(card?.card)).toContain('Evidence: HTTP 429 throttle rate');
      },
      { timeout: 15_000, interval: 50 },
    );
    await bot.stop(); // shutting down flushes the span batch to the collector

    const intake = collector.spans.find((s) => s.name === 'alerts.intake');
    expect(intake).toMatchObject({
      service: 'oncall-bot-test',
      attributes: { 'alert.source': 'azure-monitor', 'http.response.status_code': '202' },
    });
    const inTrace = collector.spans.filter((s) => s.traceId === intake!.traceId);
    const byName = (name: string) => inTrace.filter((s) => s.name === name);
    expect(byName('alerts.ingest')[0]?.parentSpanId).toBe(intake!.spanId);
    for (const stage of ['incident.enrich', 'card.render', 'outbox.deliver']) {
      expect(byName(stage).length, stage).toBeGreaterThan(0);
      for (const s of byName(stage)) expect(s.parentSpanId, stage).toBe(intake!.spanId);
    }
    expect(byName('incident.enrich')[0]?.attributes['kql.queries']).toContain('throttle-rate');
    expect(byName('outbox.deliver').map((s) => s.attributes['outbox.outcome'])).toEqual(
      expect.arrayContaining(['posted', 'updated']),
    );
  });
});
