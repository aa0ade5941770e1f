import { describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store.ts';
import { anIncident, T0 } from './store-fixtures.ts';

/** The incident timeline (`timeline_events`); part of the store contract. */
export function describeTimelineContract(current: () => Store): void {
  describe('timeline', () => {
    const event = (incidentId: number, at: number, type: string, detail = '') => ({
      incidentId,
      at,
      type,
      actor: 'slack:U123',
      actorName: 'Ana',
      detail,
    });

    it('records events with who and when, and lists the latest oldest first with the total', async () => {
      const store = current();
      const i = await store.incidents.create(anIncident());
      for (let n = 0; n < 5; n++)
        await store.timeline.record(event(i.id, T0 + n, n === 0 ? 'opened' : 'card-updated'));
      await store.incidents.addEvent({
        incidentId: i.id,
        at: T0 + 9,
        type: 'flapping',
        actor: 'bot',
        detail: 'x',
      });
      const all = await store.timeline.list(i.id, 100);
      expect(all.total).toBe(6);
      expect(all.events[0]).toEqual({ id: all.events[0]!.id, ...event(i.id, T0, 'opened') });
      expect(all.events.at(-1)).toMatchObject({
        type: 'flapping',
        actor: 'bot',
        actorName: null,
        at: T0 + 9,
      });
      const latest = await store.timeline.list(i.id, 2);
      expect(latest.total).toBe(6);
      expect(latest.events.map((e) => e.at)).toEqual([T0 + 4, T0 + 9]);
      expect(await store.timeline.list(i.id + 1000, 10)).toEqual({ events: [], total: 0 });
    });

    it('refuses events of incidents that do not exist and types that are not kebab-case words', async () => {
      const store = current();
      const i = await store.incidents.create(anIncident());
      await expect(store.timeline.record(event(i.id + 1000, T0, 'opened'))).rejects.toThrow();
      await expect(store.timeline.record(event(i.id, T0, 'Robert"); DROP'))).rejects.toThrow();
      expect((await store.timeline.list(i.id, 10)).total).toBe(0);
    });

    it('bounds the detail people wrote', async () => {
      const store = current();
      const i = await store.incidents.create(anIncident());
      await store.timeline.record(event(i.id, T0, 'resolved-by-hand', 'x'.repeat(2_000)));
      expect((await store.timeline.list(i.id, 1)).events[0]!.detail).toHaveLength(500);
    });

    it('lists the events of some types across incidents, in time order', async () => {
      const store = current();
      const a = await store.incidents.create(anIncident({ groupKey: 'a' }));
      const b = await store.incidents.create(anIncident({ groupKey: 'b' }));
      const c = await store.incidents.create(anIncident({ groupKey: 'c' }));
      await store.timeline.record(event(b.id, T0 + 1, 'opened'));
      await store.timeline.record(event(a.id, T0, 'opened'));
      await store.timeline.record(event(a.id, T0 + 5, 'acknowledged'));
      await store.timeline.record(event(a.id, T0 + 6, 'card-updated'));
      await store.timeline.record(event(c.id, T0 + 2, 'opened'));
      const found = await store.timeline.listOfTypes([a.id, b.id], ['opened', 'acknowledged']);
      expect(found.map((e) => [e.incidentId, e.type])).toEqual([
        [a.id, 'opened'],
        [b.id, 'opened'],
        [a.id, 'acknowledged'],
      ]);
      expect(await store.timeline.listOfTypes([], ['opened'])).toEqual([]);
    });

    it('records inside a transaction and rolls back with it', async () => {
      const store = current();
      const i = await store.incidents.create(anIncident());
      await expect(
        store.transaction(async (tx) => {
          await tx.timeline.record(event(i.id, T0, 'acknowledged'));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await store.timeline.list(i.id, 10)).total).toBe(0);
      await store.transaction((tx) => tx.timeline.record(event(i.id, T0, 'acknowledged')));
      expect((await store.timeline.list(i.id, 10)).total).toBe(1);
    });
  });
}
