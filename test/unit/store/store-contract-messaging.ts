import { describe, expect, it } from 'vitest';
import type { MessageRef, NewOutboxEntry } from '../../../core/outbox/outbox-entry.ts';
import type { ConsoleMessage, Store } from '../../../core/store.ts';
import { T0 } from './store-fixtures.ts';

function card(incidentId: number, coalesce = true): NewOutboxEntry {
  return {
    surface: 'console',
    channel: 'oncall',
    payload: { kind: 'incident-card', incidentId },
    orderKey: `incident:${incidentId}`,
    coalesceKey: coalesce ? `card:${incidentId}` : null,
  };
}

const LEASE = 1_000;

/** Outbox, posted-card references and the console's history; part of the store contract. */
export function describeMessagingContract(current: () => Store): void {
  describe('outbox', () => {
    it('enqueues entries and claims them with their content, oldest first', async () => {
      const { outbox } = current();
      const a = await outbox.enqueue(card(1), T0);
      const b = await outbox.enqueue({ ...card(2), surface: 'slack', channel: 'C1' }, T0);
      expect(b).toBeGreaterThan(a);
      expect(await outbox.pendingCount()).toBe(2);
      const claimed = await outbox.claimDue(T0, 10, LEASE);
      expect(claimed).toEqual([
        { id: a, ...card(1), attempts: 1, nextAttemptAt: T0, createdAt: T0 },
        {
          id: b,
          ...card(2),
          surface: 'slack',
          channel: 'C1',
          attempts: 1,
          nextAttemptAt: T0,
          createdAt: T0,
        },
      ]);
    });

    it('coalesces onto the pending entry with the same key, but not onto a leased one', async () => {
      const { outbox } = current();
      const first = await outbox.enqueue(card(1), T0);
      expect(await outbox.enqueue(card(1), T0 + 1)).toBe(first);
      expect(await outbox.enqueue(card(1, false), T0 + 1)).not.toBe(first);
      expect(await outbox.pendingCount()).toBe(2);
      await outbox.claimDue(T0 + 2, 10, LEASE);
      const behind = await outbox.enqueue(card(1), T0 + 3);
      expect(behind).not.toBe(first);
      expect(await outbox.enqueue(card(1), T0 + 4)).toBe(behind);
    });

    it('coalesces onto an entry whose lease ran out (its worker died)', async () => {
      const { outbox } = current();
      const first = await outbox.enqueue(card(1), T0);
      await outbox.claimDue(T0, 10, LEASE);
      expect(await outbox.enqueue(card(1), T0 + LEASE)).toBe(first);
      expect(await outbox.pendingCount()).toBe(1);
    });

    it('claims only the head of each order key', async () => {
      const { outbox } = current();
      const a1 = await outbox.enqueue(card(1), T0);
      const a2 = await outbox.enqueue(card(1, false), T0);
      const b1 = await outbox.enqueue(card(2), T0);
      const claimed = await outbox.claimDue(T0, 10, LEASE);
      expect(claimed.map((e) => e.id)).toEqual([a1, b1]);
      // a2 waits while its predecessor is in flight …
      expect(await outbox.claimDue(T0 + 1, 10, LEASE)).toEqual([]);
      expect(await outbox.complete(claimed[0]!, T0 + 1)).toBe(true);
      // … and is next once it is done.
      expect((await outbox.claimDue(T0 + 1, 10, LEASE)).map((e) => e.id)).toEqual([a2]);
    });

    it('respects the limit', async () => {
      const { outbox } = current();
      for (let i = 1; i <= 5; i++) await outbox.enqueue(card(i), T0);
      expect(await outbox.claimDue(T0, 3, LEASE)).toHaveLength(3);
      expect(await outbox.claimDue(T0, 3, LEASE)).toHaveLength(2);
    });

    it('hides a leased entry until its lease runs out, then hands it out again', async () => {
      const { outbox } = current();
      const id = await outbox.enqueue(card(1), T0);
      expect(await outbox.claimDue(T0, 10, LEASE)).toHaveLength(1);
      expect(await outbox.claimDue(T0 + LEASE - 1, 10, LEASE)).toEqual([]);
      const again = await outbox.claimDue(T0 + LEASE, 10, LEASE);
      expect(again).toMatchObject([{ id, attempts: 2 }]);
    });

    it('retries later: not due before the given time, and blocks its order key meanwhile', async () => {
      const { outbox } = current();
      const id = await outbox.enqueue(card(1), T0);
      await outbox.enqueue(card(1, false), T0);
      const [claim] = await outbox.claimDue(T0, 10, LEASE);
      expect(await outbox.retryLater(claim!, T0 + 500, '429')).toBe(true);
      expect(await outbox.claimDue(T0 + 499, 10, LEASE)).toEqual([]);
      expect(await outbox.claimDue(T0 + 500, 10, LEASE)).toMatchObject([
        { id, attempts: 2, nextAttemptAt: T0 + 500 },
      ]);
    });

    it('completes and fails entries: both leave the queue and unblock their order key', async () => {
      const { outbox } = current();
      const a = await outbox.enqueue(card(1), T0);
      const b = await outbox.enqueue(card(1, false), T0);
      const c = await outbox.enqueue(card(1, false), T0);
      const [claimA] = await outbox.claimDue(T0, 10, LEASE);
      expect(claimA?.id).toBe(a);
      await outbox.fail(claimA!, T0, 'bad request');
      expect(await outbox.pendingCount()).toBe(2);
      const [claimB] = await outbox.claimDue(T0, 10, LEASE);
      expect(claimB?.id).toBe(b);
      await outbox.complete(claimB!, T0);
      const [claimC] = await outbox.claimDue(T0, 10, LEASE);
      expect(claimC?.id).toBe(c);
      await outbox.complete(claimC!, T0);
      expect(await outbox.pendingCount()).toBe(0);
      expect(await outbox.claimDue(T0 + 10 * LEASE, 10, LEASE)).toEqual([]);
      // A finished entry never absorbs new changes.
      expect(await outbox.enqueue(card(1), T0)).toBeGreaterThan(c);
    });

    it('records an outcome only under the claim that still holds the entry', async () => {
      const { outbox } = current();
      const id = await outbox.enqueue(card(1), T0);
      const [stale] = await outbox.claimDue(T0, 10, LEASE);
      // The first worker stalls past its lease; a second worker claims the entry again.
      const [current_] = await outbox.claimDue(T0 + LEASE, 10, LEASE);
      expect(current_).toMatchObject({ id, attempts: 2 });
      expect(await outbox.complete(stale!, T0 + LEASE + 1)).toBe(false);
      expect(await outbox.retryLater(stale!, T0 + LEASE + 1, 'late')).toBe(false);
      expect(await outbox.fail(stale!, T0 + LEASE + 1, 'late')).toBe(false);
      // The stale outcomes changed nothing: the entry is still pending and leased.
      expect(await outbox.pendingCount()).toBe(1);
      expect(await outbox.claimDue(T0 + LEASE + 1, 10, LEASE)).toEqual([]);
      expect(await outbox.complete(current_!, T0 + LEASE + 2)).toBe(true);
      // A finished entry cannot be finished twice.
      expect(await outbox.complete(current_!, T0 + LEASE + 3)).toBe(false);
      expect(await outbox.pendingCount()).toBe(0);
    });

    it('renews a lease only under the claim that still holds the entry', async () => {
      const { outbox } = current();
      const id = await outbox.enqueue(card(1), T0);
      const [claim] = await outbox.claimDue(T0, 10, LEASE);
      // A delivery still in flight keeps its entry past the original lease.
      expect(await outbox.renew(claim!, T0 + 2 * LEASE)).toBe(true);
      expect(await outbox.claimDue(T0 + LEASE, 10, LEASE)).toEqual([]);
      const [taken] = await outbox.claimDue(T0 + 2 * LEASE, 10, LEASE);
      expect(taken).toMatchObject({ id, attempts: 2 });
      // The worker that lost the entry cannot take it back by renewing.
      expect(await outbox.renew(claim!, T0 + 5 * LEASE)).toBe(false);
      expect(await outbox.complete(taken!, T0 + 2 * LEASE + 1)).toBe(true);
      expect(await outbox.renew(taken!, T0 + 5 * LEASE)).toBe(false);
    });

    it('tells how long until the next entry is due', async () => {
      const { outbox } = current();
      expect(await outbox.nextDueIn(T0)).toBeNull();
      const id = await outbox.enqueue(card(1), T0);
      expect(await outbox.nextDueIn(T0 + 5)).toBe(0);
      const [first] = await outbox.claimDue(T0, 10, LEASE);
      expect(await outbox.nextDueIn(T0)).toBe(LEASE);
      await outbox.retryLater(first!, T0 + 300, 'timeout');
      expect(await outbox.nextDueIn(T0 + 100)).toBe(200);
      const [second] = await outbox.claimDue(T0 + 300, 10, LEASE);
      expect(second?.id).toBe(id);
      await outbox.complete(second!, T0 + 300);
      expect(await outbox.nextDueIn(T0 + 300)).toBeNull();
    });

    it('holds a delayed entry back, and counts only order-key heads as due', async () => {
      const { outbox } = current();
      await outbox.enqueue({ ...card(1), delayMs: 2_000 }, T0);
      // Queued behind the delayed head: not deliverable before it, so not due either.
      await outbox.enqueue(card(1, false), T0);
      expect(await outbox.claimDue(T0, 10, LEASE)).toEqual([]);
      expect(await outbox.nextDueIn(T0)).toBe(2_000);
      const [head] = await outbox.claimDue(T0 + 2_000, 10, LEASE);
      expect(head?.coalesceKey).toBe('card:1');
    });

    it('pulls a waiting entry forward when an urgent change joins it, but never one in backoff', async () => {
      const { outbox } = current();
      const waiting = await outbox.enqueue({ ...card(1), delayMs: 5_000 }, T0);
      expect(await outbox.enqueue(card(1), T0 + 1_000)).toBe(waiting);
      expect(await outbox.nextDueIn(T0 + 1_000)).toBe(0);
      const [claimed] = await outbox.claimDue(T0 + 1_000, 10, LEASE);
      await outbox.retryLater(claimed!, T0 + 30_000, 'HTTP 429');
      expect(await outbox.enqueue(card(1), T0 + 2_000)).toBe(waiting);
      expect(await outbox.nextDueIn(T0 + 2_000)).toBe(28_000);
    });
  });

  describe('chat message refs', () => {
    const ref = (id: string): MessageRef => ({
      surface: 'teams',
      channel: '19:abc',
      id,
      extra: { conv: 'c1' },
    });

    it('saves, finds and replaces the card of an incident per surface', async () => {
      const { chatMessages } = current();
      expect(await chatMessages.getIncidentCard(1, 'teams')).toBeUndefined();
      await chatMessages.saveIncidentCard(1, ref('m1'), T0);
      await chatMessages.saveIncidentCard(2, ref('m2'), T0);
      expect(await chatMessages.getIncidentCard(1, 'teams')).toEqual(ref('m1'));
      expect(await chatMessages.getIncidentCard(1, 'slack')).toBeUndefined();
      expect(await chatMessages.findIncidentByMessage('teams', 'm2')).toBe(2);
      expect(await chatMessages.findIncidentByMessage('slack', 'm2')).toBeUndefined();
      await chatMessages.saveIncidentCard(1, ref('m3'), T0 + 1);
      expect(await chatMessages.getIncidentCard(1, 'teams')).toEqual(ref('m3'));
      expect(await chatMessages.findIncidentByMessage('teams', 'm3')).toBe(1);
      expect(await chatMessages.findIncidentByMessage('teams', 'm1')).toBeUndefined();
    });
  });

  describe('console messages', () => {
    const msg = (id: string, channel = 'oncall'): ConsoleMessage => ({
      id,
      channel,
      threadId: null,
      author: 'bot',
      createdAt: T0,
      updatedAt: T0,
      text: `text ${id}`,
      card: null,
    });

    it('stores messages with and without a card', async () => {
      const { consoleMessages } = current();
      const withCard = { ...msg('a'), threadId: 'root', card: { type: 'AdaptiveCard', body: [{ n: 1 }] } };
      await consoleMessages.insert(withCard);
      await consoleMessages.insert(msg('b'));
      expect(await consoleMessages.get('a')).toEqual(withCard);
      expect(await consoleMessages.get('b')).toEqual(msg('b'));
      expect(await consoleMessages.get('nope')).toBeUndefined();
    });

    it('lists the most recent messages of a channel, oldest first, in insertion order', async () => {
      const { consoleMessages } = current();
      // Ids that sort against insertion order: the list must follow insertion, not ids.
      for (const id of ['m9', 'm1', 'm5', 'm3']) await consoleMessages.insert(msg(id));
      await consoleMessages.insert(msg('x', 'other'));
      expect((await consoleMessages.list('oncall', 3)).map((m) => m.id)).toEqual(['m1', 'm5', 'm3']);
      expect((await consoleMessages.list('oncall', 10)).map((m) => m.id)).toEqual(['m9', 'm1', 'm5', 'm3']);
      expect((await consoleMessages.list('other', 10)).map((m) => m.id)).toEqual(['x']);
    });

    it('updates text and card in place, keeping its position', async () => {
      const { consoleMessages } = current();
      await consoleMessages.insert(msg('a'));
      await consoleMessages.insert(msg('b'));
      const patch = { text: 'edited', card: { v: 2 }, updatedAt: T0 + 5 };
      expect(await consoleMessages.update('a', patch)).toBe(true);
      expect(await consoleMessages.update('nope', patch)).toBe(false);
      expect(await consoleMessages.get('a')).toMatchObject(patch);
      expect((await consoleMessages.list('oncall', 10)).map((m) => m.id)).toEqual(['a', 'b']);
      expect(await consoleMessages.update('a', { ...patch, card: null })).toBe(true);
      expect((await consoleMessages.get('a'))!.card).toBeNull();
    });
  });
}
