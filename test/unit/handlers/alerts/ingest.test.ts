import { beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../../../bot/policy.ts';
import { parseMatcher } from '../../../../core/alerts/matchers.ts';
import { ManualClock } from '../../../../core/clock.ts';
import type { Store } from '../../../../core/store.ts';
import { createSilence } from '../../../../handlers/alerts/incident-actions.ts';
import { createIngestQueue, type IngestDeps, ingestAlerts } from '../../../../handlers/alerts/ingest.ts';
import { openSqliteStore } from '../../../../store/sqlite/sqlite-store.ts';
import { parsed } from '../../../helpers/alerts.ts';

const MIN = 60_000;

/** A store whose alert write fails for one fingerprint, inside the transaction. */
function failingPut(store: Store, fingerprint: string): Store {
  return {
    ...store,
    transaction: (fn) =>
      store.transaction((tx) =>
        fn({
          ...tx,
          alerts: {
            ...tx.alerts,
            put: async (s) => {
              if (s.alert.fingerprint === fingerprint) throw new Error('disk full');
              return tx.alerts.put(s);
            },
          },
        }),
      ),
  };
}

describe('ingestAlerts: grouping, dedupe, resolution, flapping, silences', () => {
  let deps: IngestDeps;
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock();
    deps = {
      store: openSqliteStore({ path: ':memory:' }),
      policy: defaultPolicy(),
      targets: [{ surface: 'console', channel: 'oncall' }],
      clock,
    };
  });
  const pending = () => deps.store.outbox.pendingCount();

  it('groups alerts of one group key into one incident with the most urgent tier', async () => {
    await ingestAlerts(deps, [parsed()]);
    const r = await ingestAlerts(deps, [
      parsed({ fingerprint: 'fp-2', sourceSeverity: 'critical', labels: { tier: 'P1' } }),
    ]);
    expect(r.incidentIds).toEqual([1]);
    const incident = await deps.store.incidents.get(1);
    expect(incident).toMatchObject({ tier: 'P1', status: 'open', kind: 'gpu-temperature' });
    expect(await deps.store.alerts.listByIncident(1)).toHaveLength(2);
    // Two changes before delivery coalesce into one card sync.
    expect(await pending()).toBe(1);
  });

  it('opens separate incidents for separate groups about different resources', async () => {
    const otherGpu = { resource: { node: 'node-7', gpu: '4' } };
    await ingestAlerts(deps, [parsed(), parsed({ fingerprint: 'x', groupKey: 'other', ...otherGpu })]);
    expect((await deps.store.incidents.listOpen(10)).map((i) => i.id).sort()).toEqual([1, 2]);
  });

  it('ignores an identical re-delivery: nothing changes, nothing is queued', async () => {
    await ingestAlerts(deps, [parsed()]);
    await deps.store.outbox
      .claimDue(clock.now(), 10, 1000)
      .then((es) => Promise.all(es.map((e) => deps.store.outbox.complete(e, 0))));
    const r = await ingestAlerts(deps, [parsed()]);
    expect(r.changed).toBe(0);
    expect(await pending()).toBe(0);
  });

  it('resolves the incident when every alert has resolved, and queues a thread note', async () => {
    await ingestAlerts(deps, [parsed(), parsed({ fingerprint: 'fp-2' })]);
    clock.advance(5 * MIN);
    await ingestAlerts(deps, [parsed({ status: 'resolved' })]);
    expect((await deps.store.incidents.get(1))!.status).toBe('open');
    await ingestAlerts(deps, [parsed({ fingerprint: 'fp-2', status: 'resolved' })]);
    const incident = (await deps.store.incidents.get(1))!;
    expect(incident.status).toBe('resolved');
    expect(incident.resolvedAt).toBe(clock.now());
  });

  it('keeps the card of an alert that re-fires within the flap window and marks it flapping', async () => {
    await ingestAlerts(deps, [parsed()]);
    clock.advance(MIN);
    await ingestAlerts(deps, [parsed({ status: 'resolved' })]);
    clock.advance(2 * MIN);
    await ingestAlerts(deps, [parsed({ startsAt: '2026-11-28T09:03:00.000Z' })]);
    const incident = (await deps.store.incidents.get(1))!;
    expect(incident).toMatchObject({ status: 'open', flapping: true, flapCount: 1 });
    expect(await deps.store.incidents.get(2)).toBeUndefined();
  });

  it('joins the open incident of its group when it flaps after another alert opened one', async () => {
    await ingestAlerts(deps, [parsed()]);
    await ingestAlerts(deps, [parsed({ status: 'resolved' })]);
    clock.advance(MIN);
    await ingestAlerts(deps, [parsed({ fingerprint: 'fp-new' })]);
    clock.advance(MIN);
    await ingestAlerts(deps, [parsed({ startsAt: '2026-11-28T09:02:00.000Z' })]);
    expect((await deps.store.incidents.listOpen(10)).map((i) => i.id)).toEqual([2]);
    expect(await deps.store.incidents.get(2)).toMatchObject({ flapping: true });
    expect((await deps.store.alerts.listByIncident(2)).map((a) => a.alert.fingerprint).sort()).toEqual([
      'fp-1',
      'fp-new',
    ]);
  });

  it('opens a new incident when an alert re-fires after the flap window', async () => {
    await ingestAlerts(deps, [parsed()]);
    await ingestAlerts(deps, [parsed({ status: 'resolved' })]);
    clock.advance(16 * MIN);
    await ingestAlerts(deps, [parsed({ startsAt: '2026-11-28T09:16:00.000Z' })]);
    expect((await deps.store.incidents.get(1))!.status).toBe('resolved');
    expect(await deps.store.incidents.get(2)).toMatchObject({ status: 'open', flapping: false });
  });

  it('records log-only alerts without opening an incident', async () => {
    const r = await ingestAlerts(deps, [
      parsed({ rule: 'Single429Seen', labels: { alertname: 'Single429Seen' } }),
    ]);
    expect(r.byTier.log).toBe(1);
    expect(await deps.store.alerts.count()).toBe(1);
    expect(await deps.store.incidents.listOpen(10)).toHaveLength(0);
  });

  it('stores a resolution of an alert it never saw firing without opening an incident', async () => {
    await ingestAlerts(deps, [parsed({ status: 'resolved' })]);
    expect(await deps.store.incidents.listOpen(10)).toHaveLength(0);
    expect(await deps.store.alerts.count()).toBe(1);
  });

  it('puts a new incident that matches an active silence under it', async () => {
    const ops = { ...deps, targets: deps.targets };
    await createSilence(ops, {
      matchers: [parseMatcher('Hostname=node-7')],
      durationMs: 60 * MIN,
      user: { id: 'console:alice', displayName: 'alice' },
      comment: '',
    });
    await ingestAlerts(deps, [parsed()]);
    expect(await deps.store.incidents.get(1)).toMatchObject({ silenceId: 1, silencedBy: 'alice' });
  });

  it('groups by policy labels instead of the sender group when configured', async () => {
    deps.policy = parsePolicy('grouping:\n  alertmanager:\n    by: [Hostname]\n');
    await ingestAlerts(deps, [parsed(), parsed({ fingerprint: 'y', groupKey: 'another-group' })]);
    expect(await deps.store.incidents.listOpen(10)).toHaveLength(1);
  });

  it('writes nothing when any part of the batch fails', async () => {
    // The second alert's write fails (a full disk, say): the first one must roll back with it.
    const store = failingPut(deps.store, 'fp-2');
    await expect(
      ingestAlerts({ ...deps, store }, [parsed({ fingerprint: 'fp-1' }), parsed({ fingerprint: 'fp-2' })]),
    ).rejects.toThrow('disk full');
    expect(await deps.store.alerts.count()).toBe(0);
    expect(await pending()).toBe(0);
  });

  it('group-commits concurrent payloads: one transaction, one result per payload', async () => {
    let transactions = 0;
    const store = deps.store;
    const counting = {
      ...store,
      transaction: <T>(fn: Parameters<typeof store.transaction<T>>[0]) => {
        transactions++;
        return store.transaction(fn);
      },
    };
    const ingest = createIngestQueue({ ...deps, store: counting });
    const results = await Promise.all([
      ingest([parsed()]),
      ingest([parsed({ fingerprint: 'fp-2' })]),
      ingest([parsed({ fingerprint: 'x', groupKey: 'other', resource: { node: 'node-2', gpu: '0' } })]),
    ]);
    expect(transactions).toBe(1);
    expect(results.map((r) => r.incidentIds)).toEqual([[1], [1], [2]]);
    expect(await deps.store.alerts.count()).toBe(3);
  });

  it('retries the payloads of a failed group commit one by one: only the one at fault fails', async () => {
    const ingest = createIngestQueue({ ...deps, store: failingPut(deps.store, 'b') });
    const outcomes = await Promise.allSettled([
      ingest([parsed()]),
      ingest([parsed({ fingerprint: 'b', groupKey: 'other' })]),
      ingest([parsed({ fingerprint: 'c' })]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await deps.store.alerts.count()).toBe(2);
    expect(await deps.store.alerts.get('alertmanager', 'b')).toBeUndefined();
  });
});
