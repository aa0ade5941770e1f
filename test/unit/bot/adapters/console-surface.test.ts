import { describe, expect, it } from 'vitest';
import { createConsoleSurface } from '../../../../bot/adapters/console.ts';
import { textReply } from '../../../../cards/templates/incident-replies.ts';
import { ManualClock } from '../../../../core/clock.ts';
import { openSqliteStore } from '../../../../store/sqlite/sqlite-store.ts';

describe('console surface', () => {
  it('finds a message by the delivery key it was sent with, so a retry does not send it twice', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const surface = createConsoleSurface(store.consoleMessages, new ManualClock(), (s) => s);
    const where = { channel: 'oncall', thread: null };
    const card = await surface.post('oncall', textReply('GPU 3 on node-7 is hot'), { key: 'incident:7' });
    const reply = await surface.reply(card, textReply('acknowledged by bob'), { key: 'outbox:42' });
    expect(await surface.findPosted!(where, 'incident:7', 0)).toEqual(card);
    expect(await surface.findPosted!({ ...where, thread: card }, 'outbox:42', 0)).toEqual(reply);
    expect(await surface.findPosted!(where, 'incident:8', 0)).toBeUndefined();
    // Without a key every message is new.
    const a = await surface.post('oncall', textReply('hello'));
    const b = await surface.post('oncall', textReply('hello'));
    expect(a.id).not.toBe(b.id);
    await store.close();
  });
});
