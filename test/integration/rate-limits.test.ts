import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';

const POLICY = `
rateLimits:
  kql: { perUser: { burst: 2, perMinute: 6 }, global: { burst: 3, perMinute: 60 } }
  gpu: { perUser: { burst: 2, perMinute: 6 }, global: { burst: 100, perMinute: 600 } }
  ask: { perUser: { burst: 2, perMinute: 6 }, global: { burst: 100, perMinute: 600 } }
`;

describe('rate limits of costly commands, on the real bot in local mode', () => {
  let bot: TestBot;
  const clock = new ManualClock();
  const policyFile = join(tmpdir(), `rate-limits-${process.pid}.yaml`);

  beforeAll(async () => {
    writeFileSync(policyFile, POLICY);
    bot = await startTestBot({ POLICY_FILE: policyFile }, clock, { localPlatform: true });
  });
  afterAll(async () => {
    await bot?.stop();
    rmSync(policyFile, { force: true });
  });

  it('/kql is limited per user and for everybody, and says when to try again', async () => {
    expect((await bot.say('/kql', 'alice')).text).not.toContain('try again');
    expect((await bot.say('/kql', 'alice')).text).not.toContain('try again');
    expect((await bot.say('/kql', 'alice')).text).toContain(
      'You have sent many /kql queries in a short time. Please try again in 10 seconds.',
    );
    expect((await bot.say('/kql', 'bob')).text).not.toContain('try again');
    expect((await bot.say('/kql', 'carol')).text).toContain(
      'The bot is answering many /kql queries from everyone right now. Please try again in 1 second.',
    );
    clock.advance(10_000);
    expect((await bot.say('/kql', 'alice')).text).not.toContain('try again');
  });

  it('/gpu is limited per user', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await bot.say('/gpu', 'dave')).text);
    expect(answers.slice(0, 2).every((t) => !t.includes('try again'))).toBe(true);
    expect(answers[2]).toContain('You have sent many /gpu requests in a short time.');
  });

  it('questions and /ask share one limit', async () => {
    await bot.say('/ask 429 rate on gpt-4o today?', 'erin');
    await bot.say('what is the 429 rate on gpt-4o today?', 'erin');
    const third = await bot.say('/ask 429 rate on gpt-4o today?', 'erin');
    expect(JSON.stringify(third.card)).toContain('Please try again in 10 seconds.');
  });
});
