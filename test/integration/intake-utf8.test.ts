import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, startTestBot, TEST_TOKEN, type TestBot } from '../helpers/test-bot.ts';

/** The Alertmanager fixture with its summary replaced by `bytes`, as raw bytes. */
function bodyWith(bytes: Buffer): { body: Buffer; offset: number } {
  const text = JSON.stringify(fixture('am-gpu-temp-firing.json')).replace(
    /"summary":"[^"]*"/,
    '"summary":"@@"',
  );
  const [before, after] = text.split('@@') as [string, string];
  const head = Buffer.from(before, 'utf8');
  return { body: Buffer.concat([head, bytes, Buffer.from(after, 'utf8')]), offset: head.length };
}

async function post(bot: TestBot, body: Buffer): Promise<Response> {
  return fetch(`${bot.url}/api/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
    body,
  });
}

describe('intake refuses a body that is not valid UTF-8, naming the byte offset', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => bot.stop());

  it.each([
    ['a 0xFF byte', Buffer.from([0x61, 0xff, 0x62]), 1],
    ['a truncated 3-byte sequence', Buffer.from([0x61, 0xe2, 0x82]), 1],
    ['a truncated 4-byte sequence before the quote', Buffer.from([0xf0, 0x9f, 0x94]), 0],
    ['an overlong NUL', Buffer.from([0xc0, 0x80]), 0],
    ['an encoded surrogate', Buffer.from([0x78, 0xed, 0xa0, 0x80]), 1],
  ])('%s: 400 with the offset, nothing stored', async (_name, bytes, at) => {
    const { body, offset } = bodyWith(bytes);
    const res = await post(bot, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'INVALID_UTF8',
        message: `Invalid request: the body is not valid UTF-8 at byte offset ${offset + at}`,
      },
    });
    expect(await bot.store.alerts.count()).toBe(0);
  });

  it('accepts valid UTF-8 including astral characters, stored as sent', async () => {
    const { body } = bodyWith(Buffer.from('GPU 🔥 über 90 °C 𝔾', 'utf8'));
    expect((await post(bot, body)).status).toBe(202);
    const stored = await bot.store.alerts.get('alertmanager', '8c3f0a7b21d95e46');
    expect(stored!.alert.summary).toBe('GPU 🔥 über 90 °C 𝔾');
  });
});
