import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestBot, TEST_TOKEN, type TestBot } from '../helpers/test-bot.ts';
import { signSlackRequest } from '../servers/slack/clients.ts';
import { type SlackWebApiServer, startSlackWebApiServer } from '../servers/slack-web-api.ts';

/**
 * Every public endpoint against malformed, huge, deeply nested, unicode and injection payloads:
 * the answer is a clear 2xx/4xx (never 5xx, never a hang), the process keeps serving, and a
 * rejected alert payload writes nothing.
 */
const SEED = 20261128;
const RUNS = 150;
const SLACK_SECRET = 'fuzz-slack-signing-secret-0123';
const CHANNEL = 'C0FUZZ';
let cases = 0;

const hostileString = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  fc.constantFrom(
    "'; DROP TABLE alerts; --",
    '{{7*7}}',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '\u0000\u202e\ud83d\ude00',
    'AppRequests | take 1000000 | project ClientIP',
    '__proto__',
    'constructor',
  ),
  fc.integer({ min: 1000, max: 300_000 }).map((n) => 'x'.repeat(n)),
);

/** Deep nesting that a naive recursive walk could choke on, kept as text (it is sent as is). */
const deep = fc
  .tuple(fc.integer({ min: 50, max: 5000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`);

/** Request bodies: JSON values of every shape, hostile keys and strings, and deep nesting. */
const anyBody = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 3 })).map((v) => JSON.stringify(v)),
  deep,
);
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 })),
);

/** A valid payload with one field replaced by something hostile. */
function mutated(base: unknown) {
  return fc.tuple(fc.nat(), anyJson).map(([pick, value]) => {
    const copy = structuredClone(base) as Record<string, unknown>;
    const paths: Array<[Record<string, unknown> | unknown[], string | number]> = [];
    const walk = (node: unknown) => {
      if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          paths.push([node as Record<string, unknown>, Array.isArray(node) ? Number(k) : k]);
          walk(v);
        }
      }
    };
    walk(copy);
    const [parent, key] = paths[pick % paths.length]!;
    (parent as Record<string | number, unknown>)[key] = value;
    return copy;
  });
}

describe('fuzzing every public endpoint', () => {
  let bot: TestBot;
  let slack: SlackWebApiServer;
  beforeAll(async () => {
    slack = await startSlackWebApiServer({ channels: [{ id: CHANNEL, name: 'incidents' }] });
    bot = await startTestBot({
      CONSOLE: 'on',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_CHANNEL: CHANNEL,
      SLACK_API_URL: slack.url,
      MAX_BODY_BYTES: String(512 * 1024),
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
    console.log(`fuzz: ${cases} requests against the public endpoints`);
  });

  async function send(path: string, body: string, headers: Record<string, string> = {}): Promise<number> {
    cases++;
    const res = await fetch(`${bot.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  }

  const ok4xx = (status: number) => (status >= 200 && status < 300) || (status >= 400 && status < 500);

  for (const [source, sample] of [
    ['alertmanager', 'am-two-alerts-mixed.json'],
    ['azure-monitor', 'azure-metric-static-fired.json'],
    ['grafana', 'grafana-firing.json'],
  ] as const) {
    it(`${source} webhook: 4xx for garbage, nothing partial stored`, async () => {
      const auth = { authorization: `Bearer ${TEST_TOKEN}` };
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            anyBody,
            mutated(fixture(sample)).map((v) => JSON.stringify(v)),
          ),
          async (body) => {
            const before = await bot.store.alerts.count();
            const status = await send(`/api/alerts/${source}`, body, auth);
            expect(ok4xx(status)).toBe(true);
            if (status >= 400) expect(await bot.store.alerts.count()).toBe(before);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
      // Raw bytes that are not JSON at all.
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 200 }), async (raw) => {
          expect(ok4xx(await send(`/api/alerts/${source}`, raw, auth))).toBe(true);
        }),
        { numRuns: RUNS / 2, seed: SEED },
      );
    });
  }

  it('alert webhooks: NUL and lone surrogates stored as U+FFFD, invalid UTF-8 400, unauthenticated 401 unread', async () => {
    const auth = { authorization: `Bearer ${TEST_TOKEN}` };
    const base = fixture('am-gpu-temp-firing.json') as {
      alerts: Array<{ annotations: Record<string, string> }>;
    };
    const odd = fc
      .array(fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d\ude00', 'a', 'é'), {
        minLength: 1,
        maxLength: 12,
      })
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(odd, async (summary) => {
        const body = structuredClone(base);
        body.alerts[0]!.annotations.summary = summary;
        expect(await send('/api/alerts/alertmanager', JSON.stringify(body), auth)).toBe(202);
        const stored = await bot.store.alerts.get('alertmanager', '8c3f0a7b21d95e46');
        // No lone surrogate left: every high one is followed by a low one, every low one preceded.
        expect(stored!.alert.summary).not.toMatch(
          /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u,
        );
        expect(stored!.alert.summary).not.toContain('\u0000');
      }),
      { numRuns: RUNS / 3, seed: SEED },
    );
    const valid = Buffer.from(JSON.stringify(fixture('am-two-alerts-mixed.json')), 'utf8');
    const badBytes = fc.constantFrom(
      [0xff],
      [0xfe],
      [0xc0, 0x80],
      [0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90],
      [0xe2, 0x82],
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(), badBytes, async (at, bad) => {
        const pos = at % valid.length;
        const body = Buffer.concat([valid.subarray(0, pos), Buffer.from(bad), valid.subarray(pos)]);
        const before = await bot.store.alerts.count();
        cases++;
        const res = await fetch(`${bot.url}/api/alerts/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth },
          body,
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_UTF8');
        expect(await bot.store.alerts.count()).toBe(before);
      }),
      { numRuns: RUNS / 3, seed: SEED },
    );
    // Larger than MAX_BODY_BYTES (512 KiB here): refused for the missing token, never read to 413.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 600 * 1024, max: 4 * 1024 * 1024 }),
        fc.constantFrom<Record<string, string>>(
          {},
          { authorization: 'Bearer wrong' },
          { authorization: TEST_TOKEN },
        ),
        fc.constantFrom('alertmanager', 'azure-monitor', 'grafana'),
        async (size, headers, source) => {
          expect(await send(`/api/alerts/${source}`, 'x'.repeat(size), headers)).toBe(401);
        },
      ),
      { numRuns: 20, seed: SEED },
    );
  });

  it('console API', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/console/messages', '/api/console/actions'),
        anyBody,
        async (path, body) => {
          expect(ok4xx(await send(path, body))).toBe(true);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('Slack events: unsigned → refused (401, or 400 before parsing), signed garbage → 2xx/4xx', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, fc.boolean(), async (raw, signed) => {
        const headers = signed ? signSlackRequest(SLACK_SECRET, raw, Math.floor(bot.clock.now() / 1000)) : {};
        const status = await send('/slack/events', raw, headers);
        if (signed) expect(ok4xx(status)).toBe(true);
        else expect([400, 401]).toContain(status);
      }),
      // Every signed event goes through Bolt's full handling: fewer runs keep the file fast.
      { numRuns: RUNS / 3, seed: SEED },
    );
  }, 60_000);

  it('Teams activities', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        expect(ok4xx(await send('/api/messages', body))).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('chart URLs refuse anything not signed by the bot', async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (token) => {
        cases++;
        const res = await fetch(`${bot.url}/charts/${encodeURIComponent(token.slice(0, 2000))}.png`);
        await res.arrayBuffer();
        expect([400, 403, 404, 410, 414]).toContain(res.status);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('still serves after all of it', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(202);
  });
});
