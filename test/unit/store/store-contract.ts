import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeAlert } from '../../../core/alerts/alert.ts';
import type { Store } from '../../../core/store.ts';
import { describeConversationContract } from './store-contract-conversations.ts';
import { describeMessagingContract } from './store-contract-messaging.ts';
import { describeStormContract } from './store-contract-storms.ts';
import { describeTimelineContract } from './store-contract-timeline.ts';
import { anAlert, anIncident, aStoredAlert, T0 } from './store-fixtures.ts';

/** Opens a store with no data in it; `cleanup` closes it and removes what the test wrote. */
export type OpenStore = () => Promise<Store>;
export type CleanupStore = (store: Store) => Promise<void>;

/**
 * The behaviour every store engine must share, as the callers (intake, incident actions, the
 * delivery loop, the console) rely on it. Each engine's runner calls this once.
 */
export function describeStoreContract(name: string, open: OpenStore, cleanup: CleanupStore): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    describe('transaction', () => {
      it('commits everything the callback wrote and returns its result', async () => {
        const id = await store.transaction(async (tx) => {
          const created = await tx.incidents.create(anIncident());
          await tx.alerts.put(aStoredAlert({ incidentId: created.id }));
          return created.id;
        });
        expect(await store.incidents.get(id)).toMatchObject({ id, groupKey: 'group-a' });
        expect(await store.alerts.listByIncident(id)).toHaveLength(1);
      });

      it('rolls back everything when the callback throws, and rethrows its error', async () => {
        const failure = new Error('boom');
        await expect(
          store.transaction(async (tx) => {
            const created = await tx.incidents.create(anIncident());
            await tx.alerts.put(aStoredAlert({ incidentId: created.id }));
            await tx.outbox.enqueue(
              {
                surface: 'console',
                channel: 'c',
                payload: { kind: 'incident-card', incidentId: 1 },
                orderKey: 'k',
              },
              T0,
            );
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await store.alerts.count()).toBe(0);
        expect(await store.incidents.listOpen(10)).toEqual([]);
        expect(await store.outbox.pendingCount()).toBe(0);
      });

      it('refuses a transaction started inside another', async () => {
        await expect(store.transaction(() => store.transaction(async () => 1))).rejects.toMatchObject({
          code: 'NESTED_TRANSACTION',
        });
      });

      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('commits a heartbeat, again and again (one row, not one per probe)', async () => {
        await expect(store.probeCommit(1)).resolves.toBeUndefined();
        await expect(store.probeCommit(2)).resolves.toBeUndefined();
      });
    });

    describe('alerts', () => {
      it('stores and reads back an alert exactly', async () => {
        expect(await store.alerts.get('alertmanager', 'fp-1')).toBeUndefined();
        const s = aStoredAlert();
        await store.alerts.put(s);
        const back = await store.alerts.get('alertmanager', 'fp-1');
        expect(back).toEqual(s);
        // Intake detects re-deliveries by comparing serialisations: key order must survive.
        expect(JSON.stringify(back!.alert)).toBe(JSON.stringify(s.alert));
      });

      it('gives intake the stored text and columns, counts re-deliveries, and counts statuses', async () => {
        const s = aStoredAlert();
        await store.alerts.put(s);
        const state = await store.alerts.getState('alertmanager', 'fp-1');
        expect(state).toMatchObject({ status: 'firing', receiveCount: 1, firstSeenAt: s.firstSeenAt });
        expect(state!.body).toBe(serializeAlert(s.alert));
        await store.alerts.touch('alertmanager', 'fp-1', T0 + 60_000);
        expect(await store.alerts.getState('alertmanager', 'fp-1')).toMatchObject({
          receiveCount: 2,
          lastSeenAt: T0 + 60_000,
        });
        const incident = await store.incidents.create(anIncident());
        await store.alerts.put({ ...s, incidentId: incident.id });
        await store.alerts.put(
          aStoredAlert({
            alert: anAlert({ fingerprint: 'fp-2', status: 'resolved' }),
            incidentId: incident.id,
          }),
        );
        await store.alerts.put(
          aStoredAlert({ alert: anAlert({ fingerprint: 'fp-3' }), incidentId: incident.id }),
        );
        expect(await store.alerts.countByStatus(incident.id)).toEqual({ firing: 2, resolved: 1 });
        expect(await store.alerts.countByStatus(incident.id + 1)).toEqual({ firing: 0, resolved: 0 });
      });

      it('upserts by source and fingerprint, keeping the first sighting', async () => {
        await store.alerts.put(aStoredAlert());
        const resolved = anAlert({ status: 'resolved' });
        await store.alerts.put(
          aStoredAlert({
            alert: resolved,
            firstSeenAt: T0 + 5,
            lastSeenAt: T0 + 9,
            resolvedAt: T0 + 9,
            receiveCount: 2,
          }),
        );
        const back = await store.alerts.get('alertmanager', 'fp-1');
        expect(back).toMatchObject({
          firstSeenAt: T0,
          lastSeenAt: T0 + 9,
          resolvedAt: T0 + 9,
          receiveCount: 2,
        });
        expect(back!.alert.status).toBe('resolved');
        await store.alerts.put(aStoredAlert({ alert: anAlert({ source: 'grafana' }) }));
        expect(await store.alerts.count()).toBe(2);
      });

      it('lists the alerts of an incident by first sighting, then fingerprint', async () => {
        const { id } = await store.incidents.create(anIncident());
        const other = await store.incidents.create(anIncident({ groupKey: 'group-b' }));
        await store.alerts.put(
          aStoredAlert({ alert: anAlert({ fingerprint: 'c' }), incidentId: id, firstSeenAt: T0 + 1 }),
        );
        await store.alerts.put(aStoredAlert({ alert: anAlert({ fingerprint: 'b' }), incidentId: id }));
        await store.alerts.put(aStoredAlert({ alert: anAlert({ fingerprint: 'a' }), incidentId: id }));
        await store.alerts.put(aStoredAlert({ alert: anAlert({ fingerprint: 'z' }), incidentId: other.id }));
        const list = await store.alerts.listByIncident(id);
        expect(list.map((s) => s.alert.fingerprint)).toEqual(['a', 'b', 'c']);
      });
    });

    describe('incidents', () => {
      it('creates with a fresh id and reads back every field', async () => {
        const a = await store.incidents.create(
          anIncident({ flapping: true, flapCount: 2, silencedUntil: T0 + 7, startedAt: T0 - 60_000 }),
        );
        const b = await store.incidents.create(anIncident({ groupKey: 'group-b' }));
        expect(b.id).toBeGreaterThan(a.id);
        expect(await store.incidents.get(a.id)).toEqual(a);
        expect(await store.incidents.get(b.id + 1000)).toBeUndefined();
      });

      it('updates every mutable field', async () => {
        const i = await store.incidents.create(anIncident());
        const changed = {
          ...i,
          title: 'new title',
          tier: 'P1' as const,
          acknowledgedBy: 'ana',
          acknowledgedAt: T0 + 1,
          silenceId: 4,
          silencedBy: 'bo',
          silencedUntil: T0 + 99,
          flapping: true,
          flapCount: 1,
          updatedAt: T0 + 2,
          startedAt: T0 - 5_000,
          endedAt: T0 + 3,
          version: 2,
        };
        await store.incidents.update(changed);
        expect(await store.incidents.get(i.id)).toEqual(changed);
      });

      it('finds the open incident of a group, else its most recent one', async () => {
        expect(await store.incidents.latestForGroup('group-a')).toBeUndefined();
        const first = await store.incidents.create(anIncident());
        await store.incidents.update({ ...first, status: 'resolved', resolvedAt: T0 + 1 });
        const second = await store.incidents.create(anIncident());
        await store.incidents.create(anIncident({ groupKey: 'group-b' }));
        expect((await store.incidents.latestForGroup('group-a'))!.id).toBe(second.id);
        await store.incidents.update({ ...second, status: 'resolved', resolvedAt: T0 + 2 });
        expect(await store.incidents.latestForGroup('group-a')).toMatchObject({
          id: second.id,
          status: 'resolved',
        });
      });

      it('allows one open incident per group, and a new one once it resolved', async () => {
        const first = await store.incidents.create(anIncident());
        await expect(store.incidents.create(anIncident())).rejects.toThrow();
        await store.incidents.update({ ...first, status: 'resolved', resolvedAt: T0 + 1 });
        await expect(store.incidents.create(anIncident())).resolves.toMatchObject({ status: 'open' });
        await expect(store.incidents.create(anIncident({ status: 'resolved' }))).resolves.toBeDefined();
      });

      it('lists open incidents newest first, up to the limit', async () => {
        const ids: number[] = [];
        for (const g of ['a', 'b', 'c', 'd'])
          ids.push((await store.incidents.create(anIncident({ groupKey: g }))).id);
        const resolved = (await store.incidents.get(ids[1]!))!;
        await store.incidents.update({ ...resolved, status: 'resolved' });
        expect((await store.incidents.listOpen(2)).map((i) => i.id)).toEqual([ids[3], ids[2]]);
        expect((await store.incidents.listOpen(10)).map((i) => i.id)).toEqual([ids[3], ids[2], ids[0]]);
      });

      it('lists open incidents whose silence ended', async () => {
        const ended = await store.incidents.create(anIncident({ groupKey: 'a', silencedUntil: T0 + 10 }));
        await store.incidents.create(anIncident({ groupKey: 'b', silencedUntil: T0 + 20 }));
        await store.incidents.create(anIncident({ groupKey: 'c' }));
        await store.incidents.create(anIncident({ groupKey: 'd', silencedUntil: T0, status: 'resolved' }));
        expect(await store.incidents.listSilenceExpired(T0 + 9)).toEqual([]);
        expect((await store.incidents.listSilenceExpired(T0 + 10)).map((i) => i.id)).toEqual([ended.id]);
        expect(await store.incidents.listSilenceExpired(T0 + 20)).toHaveLength(2);
      });

      it('records events of existing incidents only', async () => {
        const i = await store.incidents.create(anIncident());
        const event = { incidentId: i.id, at: T0, type: 'opened', actor: null, detail: 'x' };
        await expect(store.incidents.addEvent(event)).resolves.toBeUndefined();
        await expect(store.incidents.addEvent({ ...event, incidentId: i.id + 1000 })).rejects.toThrow();
      });
    });

    describe('silences', () => {
      const newSilence = {
        matchers: [{ name: 'node', op: '=' as const, value: 'node-7' }],
        createdBy: 'ana',
        createdAt: T0,
        endsAt: T0 + 100,
        comment: 'maintenance',
        incidentId: null,
      };

      it('creates and reads back a silence', async () => {
        const s = await store.silences.create(newSilence);
        expect(s).toMatchObject({ ...newSilence, expiredAt: null });
        expect(await store.silences.get(s.id)).toEqual(s);
        expect(await store.silences.get(s.id + 1000)).toBeUndefined();
      });

      it('lists silences that have not ended and were not expired, in creation order', async () => {
        const a = await store.silences.create(newSilence);
        const b = await store.silences.create({ ...newSilence, endsAt: T0 + 50 });
        const c = await store.silences.create(newSilence);
        await store.silences.expire(c.id, T0 + 1);
        expect((await store.silences.listActive(T0 + 10)).map((s) => s.id)).toEqual([a.id, b.id]);
        expect((await store.silences.listActive(T0 + 50)).map((s) => s.id)).toEqual([a.id]);
      });

      it('expires once: the first expiry time stays', async () => {
        const s = await store.silences.create(newSilence);
        await store.silences.expire(s.id, T0 + 1);
        await store.silences.expire(s.id, T0 + 2);
        expect((await store.silences.get(s.id))!.expiredAt).toBe(T0 + 1);
      });

      it('extends a silence still in force, never one that ended or was expired', async () => {
        const s = await store.silences.create(newSilence);
        expect(await store.silences.extend(s.id, T0 + 500, T0 + 10)).toBe(true);
        expect((await store.silences.get(s.id))!.endsAt).toBe(T0 + 500);
        expect(await store.silences.extend(s.id, T0 + 900, T0 + 500)).toBe(false);
        const e = await store.silences.create(newSilence);
        await store.silences.expire(e.id, T0 + 1);
        expect(await store.silences.extend(e.id, T0 + 900, T0 + 2)).toBe(false);
        expect((await store.silences.get(e.id))!.endsAt).toBe(T0 + 100);
        expect(await store.silences.extend(s.id + 1000, T0 + 900, T0)).toBe(false);
      });
    });

    it('keeps the incident commander', async () => {
      const i = await store.incidents.create(anIncident());
      expect((await store.incidents.get(i.id))!.commander).toBeNull();
      await store.incidents.update({ ...i, commander: 'alice', version: 2 });
      expect((await store.incidents.get(i.id))!.commander).toBe('alice');
      const owned = await store.incidents.create(anIncident({ groupKey: 'b', commander: 'bob' }));
      expect(owned.commander).toBe('bob');
      expect((await store.incidents.get(owned.id))!.commander).toBe('bob');
    });

    describeMessagingContract(() => store);
    describeStormContract(() => store);
    describeTimelineContract(() => store);
    describeConversationContract(() => store);
  });
}
