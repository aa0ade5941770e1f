import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../bot/policy.ts';
import { ManualClock } from '../../../core/clock.ts';
import type { OutboxEntry } from '../../../core/outbox/outbox-entry.ts';
import type { Store } from '../../../core/store.ts';
import { type IngestDeps, ingestAlerts } from '../../../handlers/alerts/ingest.ts';
import { openPostgresStore } from '../../../store/postgres/postgres-store.ts';
import { parsed } from '../../helpers/alerts.ts';
import { createTestDatabase } from '../../helpers/postgres.ts';
import { T0 } from './store-fixtures.ts';

const LEASE = 60_000;

/**
 * Two stores with two pools stand in for two replicas: their statements really run concurrently
 * on the server, so these tests exercise the locking, not a serialised stand-in.
 */
export function describePostgresConcurrency(open: () => Promise<Store>, reset: () => Promise<void>): void {
  describe('postgres: two replicas on one database', () => {
    let a: Store;
    let b: Store;
    beforeEach(async () => {
      [a, b] = await Promise.all([open(), open()]);
    });
    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
      await reset();
    });

    it('never hands one outbox entry, or two entries of one order key, to two workers', async () => {
      const keys = 12;
      const perKey = 4;
      for (let n = 0; n < perKey; n++) {
        for (let k = 0; k < keys; k++) {
          await a.outbox.enqueue(
            {
              surface: 'console',
              channel: 'c',
              payload: { kind: 'incident-card', incidentId: k + 1 },
              orderKey: `k${k}`,
            },
            T0,
          );
        }
      }
      const delivered: OutboxEntry[] = [];
      for (let round = 0; round < 50 && delivered.length < keys * perKey; round++) {
        // Four workers, two per replica, claim at the same moment.
        const claims = await Promise.all([a, b, a, b].map((s) => s.outbox.claimDue(T0, 5, LEASE)));
        const inFlight = claims.flat();
        expect(new Set(inFlight.map((e) => e.id)).size).toBe(inFlight.length);
        expect(new Set(inFlight.map((e) => e.orderKey)).size).toBe(inFlight.length);
        delivered.push(...inFlight);
        await Promise.all(inFlight.map((e, i) => (i % 2 ? a : b).outbox.complete(e, T0)));
      }
      expect(delivered).toHaveLength(keys * perKey);
      expect(new Set(delivered.map((e) => e.id)).size).toBe(keys * perKey);
      for (let k = 0; k < keys; k++) {
        const ids = delivered.filter((e) => e.orderKey === `k${k}`).map((e) => e.id);
        expect(ids).toEqual([...ids].sort((x, y) => x - y));
      }
      expect(await b.outbox.pendingCount()).toBe(0);
    });

    it('opens exactly one incident when two replicas ingest a new group at once', async () => {
      const clock = new ManualClock();
      const deps = (store: Store): IngestDeps => ({
        store,
        policy: defaultPolicy(),
        targets: [{ surface: 'console', channel: 'oncall' }],
        clock,
      });
      const groups = 8;
      for (let g = 0; g < groups; g++) {
        // Each group about a GPU of its own: alerts about one GPU are one problem, whatever their group.
        const alert = (fp: string) =>
          parsed({
            fingerprint: fp,
            groupKey: `{}:{group="${g}"}`,
            resource: { node: `node-${g}`, gpu: '3' },
          });
        await Promise.all([
          ingestAlerts(deps(a), [alert(`a-${g}`)]),
          ingestAlerts(deps(b), [alert(`b-${g}`)]),
          // An Alertmanager HA pair sends the same alert to both replicas.
          ingestAlerts(deps(a), [alert(`same-${g}`)]),
          ingestAlerts(deps(b), [alert(`same-${g}`)]),
        ]);
      }
      const open = await a.incidents.listOpen(100);
      expect(open).toHaveLength(groups);
      for (const incident of open) {
        const alerts = await a.alerts.listByIncident(incident.id);
        expect(alerts.map((s) => s.alert.fingerprint.split('-')[0]).sort()).toEqual(['a', 'b', 'same']);
        expect(alerts.find((s) => s.alert.fingerprint.startsWith('same'))!.receiveCount).toBe(2);
      }
      expect(await a.alerts.count()).toBe(3 * groups);
    });

    it('starts exactly one storm when two replicas cross the threshold at once', async () => {
      const clock = new ManualClock();
      const policy = { ...defaultPolicy(), storm: { ...defaultPolicy().storm, threshold: 2 } };
      const deps = (store: Store): IngestDeps => ({
        store,
        policy,
        targets: [{ surface: 'console', channel: 'oncall' }],
        clock,
      });
      const alert = (g: number) =>
        parsed({
          fingerprint: `fp-${g}`,
          groupKey: `{}:{group="${g}"}`,
          resource: { node: `node-${g}`, gpu: '3' },
        });
      await ingestAlerts(deps(a), [alert(0)]);
      await ingestAlerts(deps(b), [alert(1)]);
      // Both replicas see two incidents in the window and each opens the third and fourth.
      await Promise.all([
        ingestAlerts(deps(a), [alert(2)]),
        ingestAlerts(deps(b), [alert(3)]),
        ingestAlerts(deps(a), [alert(4)]),
        ingestAlerts(deps(b), [alert(5)]),
      ]);
      const storm = await a.storms.current();
      expect(storm).toBeDefined();
      // Ids keep counting across tests and retried transactions: compare by order, not value.
      const all = (await a.incidents.listOpen(100)).sort((x, y) => x.id - y.id);
      expect(all).toHaveLength(6);
      expect(all.slice(0, 2).map((i) => i.stormId)).toEqual([null, null]);
      // One storm in all: the loser of the race re-ran and joined the winner's.
      expect(all.slice(2).map((i) => i.stormId)).toEqual(Array(4).fill(storm!.id));
      expect(await a.storms.listIncidents(storm!.id)).toHaveLength(4);
    });
  });

  it('migrates a fresh database once when two replicas start together', async () => {
    const fresh = await createTestDatabase();
    if (!fresh) return;
    try {
      const stores = await Promise.all(
        [1, 2, 3].map(() => openPostgresStore({ connectionString: fresh.url })),
      );
      await stores[0]!.incidents.create({
        groupKey: 'g',
        source: 'grafana',
        title: 't',
        kind: 'other',
        tier: 'P3',
        status: 'open',
        flapping: false,
        flapCount: 0,
        resource: {},
        acknowledgedBy: null,
        acknowledgedAt: null,
        silenceId: null,
        silencedBy: null,
        silencedUntil: null,
        openedAt: T0,
        updatedAt: T0,
        resolvedAt: null,
        version: 1,
      });
      expect(await stores[2]!.incidents.listOpen(10)).toHaveLength(1);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await fresh.drop();
    }
  });
}
