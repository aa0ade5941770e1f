import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

/** An Alertmanager body with one alert of its own; `summary` is put in as given. */
function payload(i: number, summary: string): string {
  const body = fixture('am-gpu-temp-firing.json') as { alerts: Record<string, unknown>[] };
  const first = body.alerts[0]!;
  body.alerts = [
    { ...first, fingerprint: `fp-${i}`, annotations: { ...(first.annotations as object), summary } },
  ];
  return JSON.stringify(body);
}

/** 40 valid payloads and one whose summary carries NUL and a lone surrogate, all at once. */
async function postConcurrently(bot: TestBot): Promise<{ valid: number[]; poisoned: number }> {
  const poisoned = payload(99, 'POISON').replace('POISON', 'x\\u0000y\\ud800');
  const [p, ...valid] = await Promise.all([
    bot.postAlert('alertmanager', poisoned),
    ...Array.from({ length: 40 }, (_, i) => bot.postAlert('alertmanager', payload(i, `ok ${i}`))),
  ]);
  return { valid: valid.map((r) => r.status), poisoned: p!.status };
}

describe('a poisoned payload never fails the payloads committed with it', () => {
  let bot: TestBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('on SQLite: every valid payload gets 202, the poisoned one is stored with U+FFFD', async () => {
    bot = await startTestBot();
    const { valid, poisoned } = await postConcurrently(bot);
    expect(valid).toEqual(Array(40).fill(202));
    expect(poisoned).toBe(202);
    const stored = await bot.store.alerts.get('alertmanager', 'fp-99');
    expect(stored!.alert.summary).toBe('x\uFFFDy\uFFFD');
  });

  describe('on PostgreSQL', () => {
    let db: TestDatabase | undefined;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => db?.drop());

    it('every valid payload gets 202, the poisoned one is stored with U+FFFD', async (ctx) => {
      if (!db) return ctx.skip();
      bot = await startTestBot({ DATABASE_URL: db.url });
      for (let round = 0; round < 3; round++) {
        await db.reset();
        const { valid, poisoned } = await postConcurrently(bot);
        expect(valid).toEqual(Array(40).fill(202));
        expect(poisoned).toBe(202);
      }
      const stored = await bot.store.alerts.get('alertmanager', 'fp-99');
      expect(stored!.alert.summary).toBe('x\uFFFDy\uFFFD');
    });
  });
});
