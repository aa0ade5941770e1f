import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, startTestBot, TEST_TOKEN, type TestBot } from '../helpers/test-bot.ts';

describe('alert intake over HTTP', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('accepts an Alertmanager group with 202 once stored, and posts one card', async () => {
    const res = await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'accepted', received: 1, changed: 1 });
    expect(await bot.store.alerts.count()).toBe(1);
    await bot.flush();
    const messages = await bot.consoleMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toContain('[P2 FIRING]');
    expect(JSON.stringify(messages[0]!.card)).toContain('node-7');
  });

  it('treats re-deliveries as no-ops: same alert, same card, no new message', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
      expect(res.status).toBe(202);
      bot.clock.advance(60_000);
    }
    await bot.flush();
    expect(await bot.consoleMessages()).toHaveLength(1);
    const stored = await bot.store.alerts.get('alertmanager', '8c3f0a7b21d95e46');
    expect(stored?.receiveCount).toBe(3);
  });

  it('updates the card in place when the alert resolves, and notes it in the thread', async () => {
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
    const [card] = await bot.consoleMessages();
    bot.clock.advance(5 * 60_000);
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-resolved.json'));
    await bot.flush();
    const after = await bot.consoleMessages();
    expect(after).toHaveLength(2);
    const updated = after.find((m) => m.id === card!.id)!;
    expect(updated.text).toContain('RESOLVED');
    expect(updated.updatedAt).not.toBe(updated.createdAt);
    const reply = after.find((m) => m.threadId === card!.id)!;
    // The sender's own times: started 09:12:04, ended 09:41:34 (the bot heard of it 5 minutes apart).
    expect(reply.text).toMatch(/INC-1 resolved after 29m/);
  });

  it('accepts every Azure Monitor and Grafana variant', async () => {
    for (const name of [
      'azure-metric-static-fired.json',
      'azure-metric-dynamic.json',
      'azure-log-v2.json',
      'azure-log-simple.json',
      'azure-log-legacy-v1.json',
    ]) {
      const res = await bot.postAlert('azure-monitor', fixture(name));
      expect(res.status, name).toBe(202);
    }
    expect((await bot.postAlert('grafana', fixture('grafana-firing.json'))).status).toBe(202);
    expect(await bot.store.alerts.count()).toBeGreaterThanOrEqual(6);
  });

  it('rejects a missing or wrong bearer token with 401 and stores nothing', async () => {
    const none = await fetch(`${bot.url}/api/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fixture('am-gpu-temp-firing.json')),
    });
    expect(none.status).toBe(401);
    const wrong = await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'), {
      authorization: 'Bearer nope',
    });
    expect(wrong.status).toBe(401);
    expect(await bot.store.alerts.count()).toBe(0);
  });

  it('answers 400 naming the malformed field, and stores nothing of the payload', async () => {
    const body = fixture('am-two-alerts-mixed.json') as { alerts: Array<Record<string, unknown>> };
    body.alerts[1]!.status = 'exploded';
    const res = await bot.postAlert('alertmanager', body);
    expect(res.status).toBe(400);
    const err = (await res.json()) as { error: { code: string; message: string } };
    expect(err.error.code).toBe('MALFORMED_PAYLOAD');
    expect(err.error.message).toContain('alerts[1].status');
    expect(await bot.store.alerts.count()).toBe(0);
  });

  it('stores a group of 2,500 alerts and one of 900 alerts of ~1.3 kB: no 4xx for a real group size', async () => {
    const group = (n: number, pad: number, prefix: string) => {
      const body = fixture('am-gpu-temp-firing.json') as { alerts: Record<string, unknown>[] };
      const first = body.alerts[0]!;
      body.alerts = Array.from({ length: n }, (_, i) => ({
        ...first,
        fingerprint: `${prefix}-${i}`,
        labels: { ...(first.labels as object), gpu: String(i) },
        annotations: { ...(first.annotations as object), description: 'd'.repeat(pad) },
      }));
      return body;
    };
    const big = await bot.postAlert('alertmanager', group(2500, 0, 'a'));
    expect(big.status).toBe(202);
    const wide = group(900, 1000, 'b');
    expect(JSON.stringify(wide).length).toBeGreaterThan(1024 * 1024);
    expect((await bot.postAlert('alertmanager', wide)).status).toBe(202);
    expect(await bot.store.alerts.count()).toBe(3400);
  });

  it('answers 400 for invalid JSON and 413 for a body over the limit', async () => {
    expect((await bot.postAlert('grafana', '{"alerts": [')).status).toBe(400);
    const huge = JSON.stringify({ pad: 'x'.repeat(64 * 1024 * 1024 + 10) });
    expect((await bot.postAlert('grafana', huge)).status).toBe(413);
  });

  it('answers 503 (never 4xx) when the store cannot take the alerts, so the sender retries', async () => {
    const original = bot.store.transaction;
    const { StoreUnavailableError } = await import('../../core/errors.ts');
    bot.store.transaction = async () => {
      throw new StoreUnavailableError('disk full');
    };
    try {
      const res = await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
    } finally {
      bot.store.transaction = original;
    }
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { store: 'ok' } });
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/oncall_bot_alerts_received_total\{source="alertmanager",tier="P2"\} 1/);
    expect(metrics).toMatch(/oncall_bot_outbox_depth 1/);
  });

  it('never writes the webhook token to the logs, even when a request echoes it', async () => {
    await bot.postAlert('alertmanager', { receiver: TEST_TOKEN }, { authorization: `Bearer ${TEST_TOKEN}` });
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'), {
      authorization: `Bearer ${TEST_TOKEN}x`,
    });
    bot.logger.info({ note: `token is ${TEST_TOKEN}` }, 'a careless log line');
    await bot.flush();
    const all = bot.logs.join('\n');
    expect(all).toContain('[REDACTED]');
    expect(all).not.toContain(TEST_TOKEN);
  });
});

describe('Grafana HMAC signatures', () => {
  const secret = 'grafana-hmac-secret-0123456789';
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot({
      GRAFANA_HMAC_SECRET: secret,
      GRAFANA_TIMESTAMP_HEADER: 'X-Grafana-Alerting-Timestamp',
    });
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('accepts a correct signature over timestamp:body and rejects a wrong or stale one', async () => {
    const body = JSON.stringify(fixture('grafana-firing.json'));
    const ts = String(Math.floor(bot.clock.now() / 1000));
    const sign = (t: string) => createHmac('sha256', secret).update(`${t}:${body}`).digest('hex');
    const ok = await bot.postAlert('grafana', body, {
      'X-Grafana-Alert-Signature': sign(ts),
      'X-Grafana-Alerting-Timestamp': ts,
    });
    expect(ok.status).toBe(202);
    const wrong = await bot.postAlert('grafana', body, {
      'X-Grafana-Alert-Signature': sign('1'),
      'X-Grafana-Alerting-Timestamp': ts,
    });
    expect(wrong.status).toBe(401);
    const stale = String(Number(ts) - 3600);
    const old = await bot.postAlert('grafana', body, {
      'X-Grafana-Alert-Signature': sign(stale),
      'X-Grafana-Alerting-Timestamp': stale,
    });
    expect(old.status).toBe(401);
  });
});
