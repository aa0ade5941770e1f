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
    expect(
      messages.some((m) => /Silence #1 by alice for 2h \(Hostname=node-7\): covers INC-1/.test(m.text)),
    ).toBe(true);
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

  /** Messages posted after `before` (edits of existing cards do not count). */
  const since = async (before: number) => (await bot.consoleMessages()).slice(before);

  it('one action, one reply: Acknowledge, Silence, a regex silence over two incidents, a flap', async () => {
    const card = (await bot.consoleMessages()).find((m) => m.text.includes('node-7'))!;
    let before = (await bot.consoleMessages()).length;
    await post(bot, '/api/console/actions', {
      user: 'bob',
      messageId: card.id,
      verb: 'ack',
      data: { incidentId: 1 },
    });
    await bot.flush();
    expect((await since(before)).map((m) => m.text)).toEqual(['INC-1 acknowledged by bob.']);

    before = (await bot.consoleMessages()).length;
    await post(bot, '/api/console/actions', {
      user: 'bob',
      messageId: card.id,
      verb: 'silence',
      data: { incidentId: 1, duration: '4h' },
    });
    await bot.flush();
    expect(await since(before)).toHaveLength(1);
    await post(bot, '/api/console/actions', {
      user: 'bob',
      messageId: card.id,
      verb: 'unsilence',
      data: { incidentId: 1 },
    });
    await bot.flush();

    before = (await bot.consoleMessages()).length;
    await post(bot, '/api/console/messages', {
      user: 'alice',
      text: '/silence alertname=~GPU.+ 1h regex test',
    });
    await bot.flush();
    const regex = await since(before);
    // The typed command and its one answer, naming both incidents; no note in either thread.
    expect(regex.map((m) => m.author)).toEqual(['console:alice', expect.not.stringMatching(/alice/)]);
    expect(regex[1]!.text).toMatch(/covers INC-(1, INC-2|2, INC-1)\. Comment: "regex test"/);

    // A flap: fire, resolve, fire again, resolve again: one "resolved" note, the card shows the rest.
    const other = await startTestBot();
    try {
      for (const name of ['firing', 'resolved', 'firing', 'resolved']) {
        await other.postAlert('alertmanager', fixture(`am-gpu-temp-${name}.json`));
        other.clock.advance(60_000);
        await other.flush();
      }
      const notes = (await other.consoleMessages()).filter((m) => / resolved/.test(m.text) && m.threadId);
      expect(notes.map((m) => m.text)).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });

  it('unknown slash commands get "no such command" with the nearest one, never the question router', async () => {
    const texts = async (text: string) => {
      await post(bot, '/api/console/messages', { user: 'alice', text });
      await bot.flush();
      return JSON.stringify((await bot.consoleMessages()).at(-1)!.card);
    };
    expect(await texts('/resolv INC-1 done')).toMatch(
      /There is no such command: \/resolv\. Did you mean \/resolve\? See \/help/,
    );
    expect(await texts('/runbook')).toMatch(/There is no such command: \/runbook\..*See \/help/);
    expect(await texts('/runbook')).not.toMatch(/can't answer|I understand/);
    expect(await texts('/silnces')).toMatch(/Did you mean \/silences\?/);
    // /resolve closes the incident by hand with the reason; /silences lists what is active.
    expect(await texts('/resolve')).toMatch(/Which incident\?/);
    expect(await texts('/resolve INC-2')).toMatch(/Say why INC-2 is resolved/);
    expect(await texts('/resolve INC-2 GPU replaced')).toMatch(/INC-2 resolved by alice: GPU replaced/);
    expect((await bot.store.incidents.get(2))!.status).toBe('resolved');
    expect(await texts('/silences')).toMatch(/No active silences/);
  });

  it('silence label trap: warns about a label no open alert has, lists silences, card silences use identifying labels', async () => {
    await post(bot, '/api/console/messages', {
      user: 'alice',
      text: '/silence node=node-7 2h kernel update',
    });
    await bot.flush();
    const warned = JSON.stringify((await bot.consoleMessages()).at(-1)!.card);
    expect(warned).toMatch(/No open alert has a label \\"node\\"/);
    expect(warned).toMatch(/Did you mean Hostname=node-7\?/);
    expect(warned).toMatch(/Comment: \\"kernel update\\"/);
    // The right label: no warning.
    await post(bot, '/api/console/messages', { user: 'alice', text: '/silence Hostname=node-7 2h' });
    await bot.flush();
    expect(JSON.stringify((await bot.consoleMessages()).at(-1)!.card)).not.toMatch(/No open alert/);

    // Silence from the ECC card (an ECC and an Xid alert): the resource both share, not the GPU's
    // UUID, its model name, the exporter's address or job (before: all of them).
    const ecc = (await bot.consoleMessages()).find((m) => m.text.includes('ECC') && m.card)!;
    await post(bot, '/api/console/actions', {
      user: 'bob',
      messageId: ecc.id,
      verb: 'silence',
      data: { incidentId: 2, duration: '1h' },
    });
    await bot.flush();
    const silences = (await bot.store.silences.listActive(bot.clock.now())).at(-1)!;
    expect(Object.fromEntries(silences.matchers.map((m) => [m.name, m.value]))).toEqual({
      cluster: 'aks-gpu-01',
      hostname: 'node-3',
      gpu: '5',
    });
    const list = JSON.stringify((await bot.say('/silences')).card);
    expect(list).toMatch(/3 active/);
    expect(list).toMatch(/node=node-7/);
    expect(list).toMatch(/kernel update/);
    expect(list).toMatch(/hostname=node-3/);
    expect(list).toMatch(/bob/);
  });

  it('argument mistakes are plain sentences in chat; logs have one line per action and no stack for typos', async () => {
    const card = (await bot.consoleMessages()).find((m) => m.text.includes('node-7'))!;
    await post(bot, '/api/console/messages', { user: 'alice', text: '/own INC-1 INC-2' });
    await post(bot, '/api/console/messages', { user: 'alice', text: '/unsilence' });
    await bot.flush();
    const [tooMany, missing] = (await bot.consoleMessages())
      .slice(-3)
      .filter((m) => m.author !== 'console:alice');
    expect(tooMany!.text).toBe('/own takes at most 1 argument. Usage: /own [incident]');
    expect(missing!.text).toBe('/unsilence needs at least 1 argument. Usage: /unsilence <silence id>');
    await post(bot, '/api/console/actions', {
      user: 'bob',
      messageId: card.id,
      verb: 'ack',
      data: { incidentId: 1 },
    });
    await bot.flush();
    const lines = bot.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const refused = lines.filter((l) => l.msg === 'operator action refused');
    expect(refused.map((l) => [l.level, l.code, l.action, l.user])).toEqual([
      [30, 'BAD_ARGUMENTS', '/own', 'console:alice'],
      [30, 'BAD_ARGUMENTS', '/unsilence', 'console:alice'],
    ]);
    expect(JSON.stringify(refused)).not.toMatch(/stack|Too big|at Object\./);
    const acks = lines.filter((l) => l.msg === 'operator action' && l.action === 'button:ack');
    expect(acks).toEqual([
      expect.objectContaining({ user: 'console:bob', incidentId: 1, outcome: 'ok', level: 30 }),
    ]);
  });

  it('rejects malformed console requests with 400 naming the field', async () => {
    const res = await post(bot, '/api/console/messages', { user: 'not a name!', text: 'hi' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^user:/);
    const missing = await post(bot, '/api/console/actions', { user: 'bob', messageId: 'nope', verb: 'ack' });
    expect(missing.status).toBe(404);
  });
});
