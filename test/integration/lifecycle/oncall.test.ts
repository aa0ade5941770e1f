import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { createPagerDutyOncallSource } from '../../../handlers/lifecycle/pagerduty-oncalls.ts';
import { cardTables } from '../../helpers/card-tables.ts';
import { startTestBot } from '../../helpers/test-bot.ts';
import { type OncallFixture, startPagerDutyRestServer } from '../../servers/pagerduty-rest.ts';

const T0 = Date.parse('2026-12-08T01:46:00Z');
const TOKEN = 'y_NbAkKc66ryYTWUXYEu';
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

const policy = { id: 'PENG01', summary: 'GPU platform' };
const schedule = { id: 'PSCH01', summary: 'GPU platform primary' };
const ONCALLS: OncallFixture[] = [
  {
    policy,
    level: 1,
    schedule,
    user: { id: 'PU1', summary: 'Alice Ng' },
    start: iso(T0 - 5 * HOUR),
    end: iso(T0 + 7 * HOUR),
  },
  {
    policy,
    level: 1,
    schedule,
    user: { id: 'PU2', summary: 'Bob Ode' },
    start: iso(T0 + 7 * HOUR),
    end: iso(T0 + 31 * HOUR),
  },
  { policy, level: 2, schedule: null, user: { id: 'PU3', summary: 'Carol Ruiz' }, start: null, end: null },
  {
    policy: { id: 'POTHER', summary: 'Billing' },
    level: 1,
    user: { id: 'PU9', summary: 'Zed' },
    start: iso(T0 - HOUR),
    end: iso(T0 + HOUR),
  },
  // Enough later shifts that the answer takes more than one page.
  ...Array.from({ length: 120 }, (_, n) => ({
    policy,
    level: 3,
    schedule: { id: 'PSCH03', summary: 'Managers' },
    user: { id: `PM${n}`, summary: `Manager ${n}` },
    start: iso(T0 - HOUR / 2 + n * HOUR),
    end: iso(T0 + HOUR / 2 + n * HOUR),
  })),
];

describe('/oncall from PagerDuty’s REST API (a local server speaking GET /oncalls)', () => {
  let server: Awaited<ReturnType<typeof startPagerDutyRestServer>>;
  beforeAll(async () => {
    server = await startPagerDutyRestServer({ token: TOKEN, oncalls: ONCALLS });
  });
  afterAll(() => server.close());

  it('reads who is on call now and next per level, with the token, across pages', async () => {
    const source = createPagerDutyOncallSource({
      apiUrl: server.url,
      token: TOKEN,
      escalationPolicyIds: ['PENG01'],
    });
    const levels = await source.levels(T0);
    expect(levels.map((l) => [l.level, l.name, l.now?.who, l.next?.who])).toEqual([
      [1, 'GPU platform primary', 'Alice Ng', 'Bob Ode'],
      [2, 'GPU platform', 'Carol Ruiz', undefined],
      [3, 'Managers', 'Manager 0', 'Manager 1'],
    ]);
    expect(levels[0]!.now).toEqual({ who: 'Alice Ng', since: T0 - 5 * HOUR, until: T0 + 7 * HOUR });
    expect(levels[1]!.now).toEqual({ who: 'Carol Ruiz', since: null, until: null });
    const seen = server.requests.at(-1)!;
    expect(seen.auth).toBe(`Token token=${TOKEN}`);
    expect(seen.query.getAll('escalation_policy_ids[]')).toEqual(['PENG01']);
    expect(server.requests.filter((r) => r.path === '/oncalls').length).toBeGreaterThanOrEqual(2);
  });

  it('says in a sentence when the token is refused, never showing it', async () => {
    const source = createPagerDutyOncallSource({ apiUrl: server.url, token: 'wrong-token-123456' });
    await expect(source.levels(T0)).rejects.toThrow(/refused the API token \(PAGERDUTY_API_TOKEN\)/);
    await expect(source.levels(T0)).rejects.not.toThrow(/wrong-token/);
  });

  it('the bot answers /oncall from PagerDuty when PAGERDUTY_API_TOKEN is set', async () => {
    const bot = await startTestBot(
      {
        PAGERDUTY_API_TOKEN: TOKEN,
        PAGERDUTY_API_URL: server.url,
        PAGERDUTY_ESCALATION_POLICY_IDS: 'PENG01',
      },
      new ManualClock(T0),
    );
    try {
      const answer = await bot.say('/oncall');
      expect(answer.text).toContain('On call');
      expect(JSON.stringify(answer.card)).toContain('from PagerDuty');
      const rows = cardTables(answer.card)[0]!.slice(1);
      expect(rows.map((r) => [r[0], r[2]])).toEqual([
        ['1', 'Alice Ng'],
        ['2', 'Carol Ruiz'],
        ['3', 'Manager 0'],
      ]);
      expect(bot.logs.join('\n')).not.toContain(TOKEN);
    } finally {
      await bot.stop();
    }
  });
});

describe('/oncall from the policy rotations', () => {
  it('local mode ships a demo rotation a newcomer sees', async () => {
    const bot = await startTestBot({ BOT_MODE: 'local' }, new ManualClock(T0));
    try {
      const rows = cardTables((await bot.say('/oncall')).card)[0]!.slice(1);
      expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
        ['1', 'AI platform primary (demo)', 'bob'],
        ['2', 'AI platform secondary (demo)', 'carol'],
      ]);
    } finally {
      await bot.stop();
    }
  });
});
