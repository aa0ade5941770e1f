import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPagingModule } from '../../handlers/paging/paging-module.ts';
import { openSqlitePagingRepo } from '../../store/paging/sqlite-paging-repo.ts';
import { startPagerDutyServer } from '../servers/pagerduty.ts';
import {
  alertGroup,
  type PagingHarness,
  ROUTING_KEY,
  startPagingHarness,
} from '../unit/paging/paging-harness.ts';

const DEDUP = 'oncall-bot:oncall-bot:INC-1';

async function ackInConsole(h: PagingHarness, user: string) {
  const res = await fetch(`${h.bot.url}/api/console/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, text: '/ack INC-1' }),
  });
  expect(res.status).toBeLessThan(300);
}

describe('P1 paging through the PagerDuty Events API v2', () => {
  let h: PagingHarness;
  afterEach(async () => {
    await h?.stop();
  });

  it('triggers once across two replicas and repeated ticks, then mirrors ack and resolve', async () => {
    h = await startPagingHarness();
    expect((await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'))).status).toBe(202);
    await h.bot.flush();
    await h.tick();
    await h.tick();
    const triggers = h.pd.accepted().filter((e) => e.event_action === 'trigger');
    expect(triggers).toHaveLength(1);
    const t = triggers[0]!;
    expect(t.routing_key).toBe(ROUTING_KEY);
    expect(t.dedup_key).toBe(DEDUP);
    const payload = t.payload as Record<string, unknown>;
    expect(payload.severity).toBe('critical');
    expect(payload.source).toBe('aks-gpu-01/ml');
    expect(String(payload.summary)).toContain('INC-1');
    expect((payload.custom_details as Record<string, unknown>).tier).toBe('P1');

    await ackInConsole(h, 'bob');
    await h.bot.flush();
    await h.tick();
    await h.tick();
    expect(h.pd.accepted().map((e) => e.event_action)).toEqual(['trigger', 'acknowledge']);
    expect(h.pd.accepted()[1]).toEqual({
      routing_key: ROUTING_KEY,
      dedup_key: DEDUP,
      event_action: 'acknowledge',
    });

    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical', 'resolved'));
    await h.bot.flush();
    await h.tick();
    await h.tick();
    expect(h.pd.accepted().map((e) => e.event_action)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(h.pd.received).toHaveLength(3);
    // The routing key is a secret: added at send time, never stored or logged.
    const db = join(h.bot.dataDir, 'bot.db');
    for (const file of [db, `${db}-wal`].filter(existsSync)) {
      expect(readFileSync(file).includes(ROUTING_KEY)).toBe(false);
    }
    expect(h.bot.logs.some((l) => l.includes('PAGING_EVENT_SENT'))).toBe(true);
    expect(h.bot.logs.join('\n')).not.toContain(ROUTING_KEY);
  });

  it('retries a 429 after PagerDuty’s 30 s, not before', async () => {
    h = await startPagingHarness();
    h.pd.failNext(429);
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick();
    expect(h.pd.received.map((r) => r.status)).toEqual([429]);
    h.bot.clock.advance(29_000);
    await h.tick();
    expect(h.pd.received).toHaveLength(1);
    h.bot.clock.advance(1_000);
    await h.tick();
    expect(h.pd.received.map((r) => r.status)).toEqual([429, 202]);
    const [event] = await h.repo.listEvents(1);
    expect(event).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('waits as long as a 429’s Retry-After says, longer than the 30 s default', async () => {
    h = await startPagingHarness();
    h.pd.failNext(429, 1, '120');
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick();
    h.bot.clock.advance(119_000);
    await h.tick();
    expect(h.pd.received.map((r) => r.status)).toEqual([429]);
    h.bot.clock.advance(1_000);
    await h.tick();
    expect(h.pd.received.map((r) => r.status)).toEqual([429, 202]);
  });

  it('retries a 5xx with backoff', async () => {
    h = await startPagingHarness();
    h.pd.failNext(503, 2);
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick();
    h.bot.clock.advance(5_000);
    await h.tick();
    h.bot.clock.advance(10_000);
    await h.tick();
    expect(h.pd.received.map((r) => r.status)).toEqual([503, 503, 202]);
  });

  it('never retries a 400 and says so in the thread', async () => {
    h = await startPagingHarness();
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.bot.flush();
    // An invalid routing key is the realistic 400: the event is rejected as it stands.
    h.pd.received.length = 0;
    const strict = await startPagerDutyServer({ rejectRoutingKey: ROUTING_KEY });
    const replica = createPagingModule({
      repo: openSqlitePagingRepo(join(h.bot.dataDir, 'bot.db')),
      policy: undefined,
      timeZone: 'UTC',
      pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: strict.url },
      publicUrl: undefined,
      store: h.bot.store,
      targets: [{ surface: 'console', channel: h.bot.config.consoleChannel }],
      clock: h.bot.clock,
      logger: h.bot.logger,
      onQueued: () => undefined,
    });
    try {
      await replica.tick();
      for (let i = 0; i < 3; i++) {
        h.bot.clock.advance(60_000);
        await replica.tick();
        await h.tick();
      }
      expect(strict.received.map((r) => r.status)).toEqual([400]);
      expect(h.pd.received).toHaveLength(0);
      const [event] = await h.repo.listEvents(1);
      expect(event).toMatchObject({ status: 'failed', attempts: 1 });
      expect(event!.lastError).toContain('routing_key is not accepted');
      await h.bot.flush();
      expect((await h.threadTexts()).some((t) => t.includes('Paging INC-1 failed'))).toBe(true);
    } finally {
      await replica.close?.();
      await strict.close();
    }
  });

  it('pages a flapping P1 anew after its resolve (PagerDuty opens a new incident)', async () => {
    h = await startPagingHarness();
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick();
    h.bot.clock.advance(60_000);
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical', 'resolved'));
    await h.tick();
    h.bot.clock.advance(60_000);
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick();
    await h.tick();
    expect(h.pd.accepted().map((e) => [e.event_action, e.dedup_key])).toEqual([
      ['trigger', DEDUP],
      ['resolve', DEDUP],
      ['trigger', DEDUP],
    ]);
  });

  it('neither loses nor repeats a page across a restart', async () => {
    h = await startPagingHarness();
    h.pd.failNext(503, 1);
    await h.bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await h.tick(); // queued, first attempt failed
    for (const r of h.replicas) await r.close?.();
    const restarted = createPagingModule({
      repo: openSqlitePagingRepo(join(h.bot.dataDir, 'bot.db')),
      policy: undefined,
      timeZone: 'UTC',
      pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: h.pd.url },
      publicUrl: undefined,
      store: h.bot.store,
      targets: [{ surface: 'console', channel: h.bot.config.consoleChannel }],
      clock: h.bot.clock,
      logger: h.bot.logger,
      onQueued: () => undefined,
    });
    h.replicas[0] = restarted;
    h.replicas[1] = { tick: async () => undefined };
    h.bot.clock.advance(60_000); // past the retry, before the escalation
    await restarted.tick();
    await restarted.tick();
    expect(h.pd.received.map((r) => [r.status, r.body.event_action])).toEqual([
      [503, 'trigger'],
      [202, 'trigger'],
    ]);
  });
});
