import { beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../../bot/policy.ts';
import { ManualClock } from '../../../../core/clock.ts';
import type { OutboxPayload } from '../../../../core/outbox/outbox-entry.ts';
import { createIngestQueue, type IngestDeps, ingestAlerts } from '../../../../handlers/alerts/ingest.ts';
import { endQuietStorm } from '../../../../handlers/alerts/storm-sweep.ts';
import { openSqliteStore } from '../../../../store/sqlite/sqlite-store.ts';
import { parsed } from '../../../helpers/alerts.ts';

const SEC = 1_000;

/** A firing alert of its own group, about a GPU of its own (one problem each); `critical` makes it P1. */
const groupAlert = (g: number, over: Parameters<typeof parsed>[0] = {}) =>
  parsed({
    fingerprint: `fp-${g}`,
    groupKey: `{}:{group="${g}"}`,
    summary: `alert ${g}`,
    resource: { node: `node-${g}`, gpu: '3' },
    ...over,
  });

describe('storm mode in intake', () => {
  let deps: IngestDeps;
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock();
    const policy = defaultPolicy();
    deps = {
      store: openSqliteStore({ path: ':memory:' }),
      policy: { ...policy, storm: { ...policy.storm, threshold: 3 } },
      targets: [{ surface: 'console', channel: 'oncall' }],
      clock,
    };
  });

  /** Claims and completes everything queued; returns the payloads with their coalesce keys. */
  async function drain(): Promise<{ payload: OutboxPayload; coalesceKey: string | null }[]> {
    const out: { payload: OutboxPayload; coalesceKey: string | null }[] = [];
    for (;;) {
      const claimed = await deps.store.outbox.claimDue(clock.now() + 3_600_000, 1000, 1000);
      if (claimed.length === 0) return out;
      for (const e of claimed) {
        out.push({ payload: e.payload, coalesceKey: e.coalesceKey });
        await deps.store.outbox.complete(e, clock.now());
      }
    }
  }
  const kinds = (entries: { payload: OutboxPayload }[]) =>
    entries.map((e) => (e.payload.kind === 'storm-card' ? `storm-${e.payload.stormId}` : e.payload.kind));
  const ingestOne = (g: number, over: Parameters<typeof parsed>[0] = {}) =>
    ingestAlerts(deps, [groupAlert(g, over)]);

  it('gives the first `threshold` incidents their own cards and folds the next into one storm', async () => {
    for (let g = 1; g <= 3; g++) await ingestOne(g);
    expect(kinds(await drain())).toEqual(['incident-card', 'incident-card', 'incident-card']);
    expect(await deps.store.storms.current()).toBeUndefined();

    await ingestOne(4);
    const storm = (await deps.store.storms.current())!;
    expect(storm).toMatchObject({ startedAt: clock.now(), endedAt: null });
    expect((await deps.store.incidents.get(4))!.stormId).toBe(storm.id);
    // The earlier incidents keep their cards and stay out of the storm.
    for (const id of [1, 2, 3]) expect((await deps.store.incidents.get(id))!.stormId).toBeNull();
    const queued = await drain();
    expect(queued).toEqual([
      { payload: { kind: 'storm-card', stormId: storm.id }, coalesceKey: `storm:${storm.id}:console` },
    ]);
  });

  it('counts only incidents opened within the window', async () => {
    for (let g = 1; g <= 3; g++) {
      await ingestOne(g);
      clock.advance(50 * SEC);
    }
    // At 150 s, incident 1 (0 s) has left the 120 s window: 2, 3 and 4 are in it, not more than 3.
    await ingestOne(4);
    expect(await deps.store.storms.current()).toBeUndefined();
    await ingestOne(5);
    expect((await deps.store.incidents.get(4))!.stormId).toBeNull();
    expect((await deps.store.incidents.get(5))!.stormId).not.toBeNull();
  });

  it('an active storm absorbs new incidents however slowly they come; a P1 still gets its own card', async () => {
    for (let g = 1; g <= 4; g++) await ingestOne(g);
    const storm = (await deps.store.storms.current())!;
    await drain();
    clock.advance(200 * SEC);
    await ingestOne(5);
    expect((await deps.store.incidents.get(5))!.stormId).toBe(storm.id);
    expect((await deps.store.storms.get(storm.id))!.lastIncidentAt).toBe(clock.now());
    await ingestOne(6, { sourceSeverity: 'critical', labels: { tier: 'P1' } });
    const p1 = (await deps.store.incidents.get(6))!;
    expect(p1).toMatchObject({ tier: 'P1', stormId: null });
    expect(kinds(await drain()).sort()).toEqual(['incident-card', `storm-${storm.id}`]);
  });

  it('a folded incident that a P1 alert joins leaves the storm and gets its own card', async () => {
    for (let g = 1; g <= 4; g++) await ingestOne(g);
    const storm = (await deps.store.storms.current())!;
    await drain();
    await ingestAlerts(deps, [groupAlert(4, { fingerprint: 'fp-4-p1', labels: { tier: 'P1' } })]);
    expect((await deps.store.incidents.get(4))!).toMatchObject({ tier: 'P1', stormId: null });
    expect(await deps.store.storms.listIncidents(storm.id)).toEqual([]);
    expect(kinds(await drain()).sort()).toEqual(['incident-card', `storm-${storm.id}`]);
  });

  it('a folded incident that resolves or re-fires updates the storm card, never a card or thread of its own', async () => {
    for (let g = 1; g <= 4; g++) await ingestOne(g);
    const storm = (await deps.store.storms.current())!;
    await drain();
    clock.advance(60 * SEC);
    await ingestOne(4, { status: 'resolved' });
    expect((await deps.store.incidents.get(4))!.status).toBe('resolved');
    expect(kinds(await drain())).toEqual([`storm-${storm.id}`]);
    clock.advance(60 * SEC);
    await ingestOne(4);
    expect((await deps.store.incidents.get(4))!).toMatchObject({ status: 'open', flapping: true });
    expect(kinds(await drain())).toEqual([`storm-${storm.id}`]);
  });

  it('decides the same when a whole storm arrives in one group commit', async () => {
    const ingest = createIngestQueue(deps);
    await Promise.all(Array.from({ length: 8 }, (_, i) => ingest([groupAlert(i + 1)])));
    const storm = (await deps.store.storms.current())!;
    const stormIds = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(async (id) => (await deps.store.incidents.get(id))!.stormId),
    );
    expect(stormIds).toEqual([null, null, null, ...Array(5).fill(storm.id)]);
    const queued = kinds(await drain());
    expect(queued.filter((k) => k === 'incident-card')).toHaveLength(3);
    expect(queued.filter((k) => k === `storm-${storm.id}`)).toHaveLength(1);
  });

  it('threshold 0 turns storm mode off', async () => {
    deps.policy = { ...deps.policy, storm: { ...deps.policy.storm, threshold: 0 } };
    for (let g = 1; g <= 20; g++) await ingestOne(g);
    expect(await deps.store.storms.current()).toBeUndefined();
    expect(kinds(await drain()).every((k) => k === 'incident-card')).toBe(true);
  });

  it('ends the storm after the quiet period with a final card update; then cards come back', async () => {
    for (let g = 1; g <= 4; g++) await ingestOne(g);
    const storm = (await deps.store.storms.current())!;
    await drain();
    clock.advance(299 * SEC);
    expect(await endQuietStorm(deps)).toBeUndefined();
    expect(await drain()).toEqual([]);
    clock.advance(1 * SEC);
    expect(await endQuietStorm(deps)).toBe(storm.id);
    expect((await deps.store.storms.get(storm.id))!.endedAt).toBe(clock.now());
    expect(kinds(await drain())).toEqual([`storm-${storm.id}`]);
    // Idempotent: a second sweep (another replica) finds nothing to end.
    expect(await endQuietStorm(deps)).toBeUndefined();
    // The window still holds few incidents: the next one gets its own card.
    await ingestOne(9);
    expect((await deps.store.incidents.get(5))!.stormId).toBeNull();
    expect(kinds(await drain())).toEqual(['incident-card']);
  });
});
