import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

async function post(bot: TestBot, path: string, body: unknown) {
  return fetch(`${bot.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('console API: commands and buttons', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.postAlert('alertmanager', fixture('am-gpu-ecc-xid-node-3.json'));
    await bot.flush();
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('Acknowledge button updates the card for everyone and notes who did it in the thread', async () => {
    const card = (await bot.consoleMessages()).find((m) => m.text.includes('node-7'))!;
    const res = await post(bot, '/api/console/actions', {
      user: 'bob',
      messageId: card.id,
      verb: 'ack',
      data: { incidentId: 1 },
    });
    expect(res.status).toBe(200);
    await bot.flush();
    const messages = await bot.consoleMessages();
    const updated = messages.find((m) => m.id === card.id)!;
    expect(updated.text).toContain('ACKNOWLEDGED');
    expect(JSON.stringify(updated.card)).toContain('by bob');
    // The Acknowledge button is gone once acknowledged.
    expect(JSON.stringify(updated.card)).not.toContain('"verb":"ack"');
    const thread = messages.filter((m) => m.threadId === card.id).map((m) => m.text);
    expect(thread.some((t) => t.includes('acknowledged by bob'))).toBe(true);
  });

  it('/alerts lists open incidents, most urgent first', async () => {
    const res = await post(bot, '/api/console/messages', { user: 'alice', text: '/alerts' });
    expect(res.status).toBe(202);
    await bot.flush();
    const answer = (await bot.consoleMessages()).at(-1)!;
    expect(answer.text).toContain('2 open incidents');
    const table = JSON.stringify(answer.card);
    expect(table.indexOf('P1')).toBeLessThan(table.indexOf('P2'));
  });

  it('commands work without the slash, and /ack in a thread needs no id', async () => {
    const card = (await bot.consoleMessages()).find((m) => m.text.includes('ECC'))!;
    await post(bot, '/api/console/messages', { user: 'carol', text: 'ack', threadId: card.id });
    await bot.flush();
    const updated = (await bot.consoleMessages()).find((m) => m.id === card.id)!;
    expect(JSON.stringify(updated.card)).toContain('by carol');
  });

  it('/silence with matchers silences the matching incident and new alerts stay quiet', async () => {
    await post(bot, '/api/console/messages', {
      user: 'alice',
      text: '/silence Hostname=node-7 2h maintenance',
    });
    await bot.flush();
    const messages = await bot.consoleMessages();
    expect(messages.some((m) => /Silence #1 for 2h: covers INC-1/.test(m.text))).toBe(true);
    const card = messages.find((m) => m.text.includes('node-7') && m.card)!;
    expect(card.text).toContain('SILENCED');
    bot.clock.advance(3 * 60 * 60_000);
    const { sweepExpiredSilences } = await import('../../handlers/alerts/incident-actions.ts');
    const lifted = await sweepExpiredSilences({
      store: bot.store,
      policy: bot.config.policy,
      clock: bot.clock,
      targets: [{ surface: 'console', channel: 'oncall' }],
    });
    expect(lifted).toBe(1);
    await bot.flush();
    expect((await bot.consoleMessages()).find((m) => m.id === card.id)!.text).toContain('FIRING');
  });

  it('Silence button uses the chosen duration and Unsilence lifts it', async () => {
    const card = (await bot.consoleMessages()).find((m) => m.text.includes('node-7'))!;
    await post(bot, '/api/console/actions', {
      user: 'bob',
      messageId: card.id,
      verb: 'silence',
      data: { incidentId: 1, duration: '4h' },
    });
    await bot.flush();
    let updated = (await bot.consoleMessages()).find((m) => m.id === card.id)!;
    expect(updated.text).toContain('SILENCED');
    expect(JSON.stringify(updated.card)).toContain('"verb":"unsilence"');
    await post(bot, '/api/console/actions', {
      user: 'bob',
      messageId: card.id,
      verb: 'unsilence',
      data: { incidentId: 1 },
    });
    await bot.flush();
    updated = (await bot.consoleMessages()).find((m) => m.id === card.id)!;
    expect(updated.text).toContain('FIRING');
  });

  it('explains mistakes in chat instead of failing: unknown incident, bad arguments, unknown text', async () => {
    await post(bot, '/api/console/messages', { user: 'alice', text: '/ack INC-99' });
    await post(bot, '/api/console/messages', { user: 'alice', text: '/silence node=~(' });
    await post(bot, '/api/console/messages', { user: 'alice', text: 'what is going on?' });
    await bot.flush();
    const texts = (await bot.consoleMessages()).slice(-3).map((m) => JSON.stringify(m.card));
    expect(texts[0]).toContain('There is no INC-99');
    expect(texts[1]).toContain('not a valid regular expression');
    expect(texts[2]).toContain('I did not recognise a command');
  });

  it('rejects malformed console requests with 400 naming the field', async () => {
    const res = await post(bot, '/api/console/messages', { user: 'not a name!', text: 'hi' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^user:/);
    const missing = await post(bot, '/api/console/actions', { user: 'bob', messageId: 'nope', verb: 'ack' });
    expect(missing.status).toBe(404);
  });
});
