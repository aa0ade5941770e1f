import { describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store.ts';
import { T0 } from './store-fixtures.ts';

const reference = (serviceUrl: string) => ({
  serviceUrl,
  channelId: 'msteams',
  conversationId: '19:oncall@thread.tacv2',
  conversationType: 'channel',
  bot: { id: '28:bot', name: 'On-call bot' },
  updatedAt: T0,
});

/** Conversation references and on-call channels, shared by replicas; part of the store contract. */
export function describeConversationContract(current: () => Store): void {
  describe('conversations', () => {
    it('keeps a reference per surface and key, as the JSON value it was given', async () => {
      const { conversations } = current();
      expect(await conversations.get('teams', '19:oncall@thread.tacv2')).toBeUndefined();
      const ref = reference('https://smba.example.test/amer/');
      expect(await conversations.save('teams', '19:oncall@thread.tacv2', ref, T0)).toBe(true);
      expect(await conversations.get('teams', '19:oncall@thread.tacv2')).toEqual(ref);
      // Same key on another surface is another place.
      expect(await conversations.get('slack', '19:oncall@thread.tacv2')).toBeUndefined();
      expect(await conversations.get('teams', '19:other@thread.tacv2')).toBeUndefined();
    });

    it('says whether a save changed anything', async () => {
      const { conversations } = current();
      const ref = reference('https://smba.example.test/amer/');
      expect(await conversations.save('teams', 'k', ref, T0)).toBe(true);
      expect(await conversations.save('teams', 'k', { ...ref }, T0 + 1)).toBe(false);
      const moved = reference('https://smba.example.test/emea/');
      expect(await conversations.save('teams', 'k', moved, T0 + 2)).toBe(true);
      expect(await conversations.get('teams', 'k')).toEqual(moved);
    });

    it('records one on-call channel per surface; keepExisting lets the first one win', async () => {
      const { conversations } = current();
      expect(await conversations.getOncall('teams')).toBeUndefined();
      expect(await conversations.setOncall('teams', 'a', { keepExisting: true })).toBe('a');
      expect(await conversations.setOncall('teams', 'b', { keepExisting: true })).toBe('a');
      expect(await conversations.getOncall('teams')).toBe('a');
      expect(await conversations.setOncall('teams', 'b')).toBe('b');
      expect(await conversations.getOncall('teams')).toBe('b');
      expect(await conversations.getOncall('slack')).toBeUndefined();
    });

    it('is part of transactions like every repo', async () => {
      const store = current();
      await expect(
        store.transaction(async (tx) => {
          await tx.conversations.save('teams', 'k', reference('https://smba.example.test/'), T0);
          await tx.conversations.setOncall('teams', 'k');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.conversations.get('teams', 'k')).toBeUndefined();
      expect(await store.conversations.getOncall('teams')).toBeUndefined();
    });
  });
}
