import { describe, expect, it } from 'vitest';
import type { MessageRef } from '../../../core/outbox/outbox-entry.ts';
import type { Store } from '../../../core/store.ts';
import { anIncident, T0 } from './store-fixtures.ts';

const MIN = 60_000;

/** Alert storms and the incident counts that detect them; part of the store contract. */
export function describeStormContract(current: () => Store): void {
  describe('storms', () => {
    it('opens one active storm, folds incidents into it, and ends it', async () => {
      const store = current();
      expect(await store.storms.current()).toBeUndefined();
      const storm = await store.storms.open(T0);
      expect(storm).toEqual({ id: storm.id, startedAt: T0, lastIncidentAt: T0, endedAt: null });
      expect(await store.storms.current()).toEqual(storm);
      expect(await store.storms.get(storm.id)).toEqual(storm);

      const a = await store.incidents.create(anIncident({ groupKey: 'a', title: 'first', openedAt: T0 }));
      const b = await store.incidents.create(
        anIncident({
          groupKey: 'b',
          title: 'second',
          tier: 'P3',
          kind: 'gpu-ecc',
          openedAt: T0 + MIN,
          acknowledgedBy: 'slack:U0ALICE',
          acknowledgedAt: T0 + 2 * MIN,
        }),
      );
      await store.incidents.create(anIncident({ groupKey: 'c', title: 'not in the storm' }));
      await store.storms.fold(storm.id, a.id, T0);
      await store.storms.fold(storm.id, b.id, T0 + MIN);
      expect((await store.incidents.get(a.id))!.stormId).toBe(storm.id);
      expect((await store.incidents.get(b.id))!.stormId).toBe(storm.id);
      expect((await store.storms.get(storm.id))!.lastIncidentAt).toBe(T0 + MIN);

      // Newest first, with what the storm card shows.
      expect(await store.storms.listIncidents(storm.id)).toEqual([
        {
          id: b.id,
          title: 'second',
          kind: 'gpu-ecc',
          tier: 'P3',
          status: 'open',
          resource: { node: 'node-7', gpu: '3' },
          openedAt: T0 + MIN,
          acknowledgedBy: 'slack:U0ALICE',
          silenceId: null,
        },
        {
          id: a.id,
          title: 'first',
          kind: 'gpu-temperature',
          tier: 'P2',
          status: 'open',
          resource: { node: 'node-7', gpu: '3' },
          openedAt: T0,
          acknowledgedBy: null,
          silenceId: null,
        },
      ]);

      await store.storms.end(storm.id, T0 + 10 * MIN);
      expect(await store.storms.current()).toBeUndefined();
      expect((await store.storms.get(storm.id))!.endedAt).toBe(T0 + 10 * MIN);
      // Ending twice keeps the first end.
      await store.storms.end(storm.id, T0 + 20 * MIN);
      expect((await store.storms.get(storm.id))!.endedAt).toBe(T0 + 10 * MIN);
      // After it ended, a new storm can start.
      const next = await store.storms.open(T0 + 30 * MIN);
      expect(next.id).toBeGreaterThan(storm.id);
      expect((await store.storms.current())!.id).toBe(next.id);
    });

    it('allows at most one active storm, enforced by the database', async () => {
      const store = current();
      await store.storms.open(T0);
      await expect(store.storms.open(T0 + 1)).rejects.toThrow();
      await expect(store.transaction((tx) => tx.storms.open(T0 + 2))).rejects.toThrow();
    });

    it('releases an incident from its storm', async () => {
      const store = current();
      const storm = await store.storms.open(T0);
      const i = await store.incidents.create(anIncident());
      await store.storms.fold(storm.id, i.id, T0);
      await store.storms.release(i.id);
      expect((await store.incidents.get(i.id))!.stormId).toBeNull();
      expect(await store.storms.listIncidents(storm.id)).toEqual([]);
    });

    it('does not move the last-incident time backwards', async () => {
      const store = current();
      const storm = await store.storms.open(T0 + MIN);
      const i = await store.incidents.create(anIncident());
      await store.storms.fold(storm.id, i.id, T0);
      expect((await store.storms.get(storm.id))!.lastIncidentAt).toBe(T0 + MIN);
    });

    it('new incidents are in no storm; their stormId is null', async () => {
      const store = current();
      const i = await store.incidents.create(anIncident());
      expect(i.stormId).toBeNull();
      expect((await store.incidents.get(i.id))!.stormId).toBeNull();
    });

    it('keeps one posted storm card per surface', async () => {
      const store = current();
      const storm = await store.storms.open(T0);
      const ref: MessageRef = { surface: 'slack', channel: 'C1', id: '1700000000.000100', extra: {} };
      expect(await store.storms.getMessage(storm.id, 'slack')).toBeUndefined();
      await store.storms.saveMessage(storm.id, ref, T0);
      expect(await store.storms.getMessage(storm.id, 'slack')).toEqual(ref);
      expect(await store.storms.getMessage(storm.id, 'console')).toBeUndefined();
      const moved = { ...ref, id: '1700000000.000200' };
      await store.storms.saveMessage(storm.id, moved, T0 + 1);
      expect(await store.storms.getMessage(storm.id, 'slack')).toEqual(moved);
    });

    it('counts incidents opened since a time, inclusive', async () => {
      const store = current();
      for (const [n, at] of [T0, T0 + MIN, T0 + 2 * MIN].entries()) {
        await store.incidents.create(anIncident({ groupKey: `g${n}`, openedAt: at }));
      }
      expect(await store.incidents.countOpenedSince(T0)).toBe(3);
      expect(await store.incidents.countOpenedSince(T0 + MIN)).toBe(2);
      expect(await store.incidents.countOpenedSince(T0 + 2 * MIN + 1)).toBe(0);
      // Inside a transaction the count sees the transaction's own inserts.
      const seen = await store.transaction(async (tx) => {
        await tx.incidents.create(anIncident({ groupKey: 'g3', openedAt: T0 + 3 * MIN }));
        return tx.incidents.countOpenedSince(T0 + MIN);
      });
      expect(seen).toBe(3);
    });
  });
}
