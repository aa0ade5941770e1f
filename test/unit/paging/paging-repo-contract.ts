import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PagingRepo } from '../../../store/paging/paging-repo.ts';

const T0 = Date.parse('2026-11-28T09:00:00Z');
const trigger = (incidentId: number) => ({ incidentId, action: 'trigger' as const, body: '{"t":1}' });

/**
 * The paging repo's contract, run against every engine with two repos on one database standing
 * for two replicas: each piece of work (flag, event, timer, digest) goes to exactly one of them.
 */
export function describePagingRepoContract(
  name: string,
  openPair: () => Promise<[PagingRepo, PagingRepo]>,
  cleanup: () => Promise<void>,
): void {
  describe(`${name} paging repo: two connections to one database, as two replicas`, () => {
    let a: PagingRepo;
    let b: PagingRepo;
    beforeEach(async () => {
      [a, b] = await openPair();
    });
    afterEach(async () => {
      await a.close();
      await b.close();
      await cleanup();
    });

    it('sets a flag and queues its event exactly once', async () => {
      await a.track({ incidentId: 1, tier: 'P1', openedAt: T0 });
      await b.track({ incidentId: 1, tier: 'P1', openedAt: T0 });
      const results = await Promise.all([
        a.setOnce(
          1,
          0,
          'triggered',
          { event: trigger(1), timer: { kind: 'escalate', dueAt: T0 + 300_000 } },
          T0,
        ),
        b.setOnce(
          1,
          0,
          'triggered',
          { event: trigger(1), timer: { kind: 'escalate', dueAt: T0 + 300_000 } },
          T0,
        ),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.listEvents()).toHaveLength(1);
      expect((await b.listActive(10))[0]!.flags.triggered).toBe(true);
    });

    it('leases an event to one claimer, and sends an incident’s events in order', async () => {
      await a.track({ incidentId: 1, tier: 'P1', openedAt: T0 });
      await a.setOnce(1, 0, 'triggered', { event: trigger(1) }, T0);
      await a.setOnce(1, 0, 'acked', { event: { incidentId: 1, action: 'acknowledge', body: '{}' } }, T0);
      const first = await a.claimEvents(T0, 10, 60_000);
      expect(first.map((e) => e.action)).toEqual(['trigger']);
      expect(await b.claimEvents(T0, 10, 60_000)).toEqual([]);
      // The claimer died: after the lease another replica takes it over.
      const again = await b.claimEvents(T0 + 60_000, 10, 60_000);
      expect(again.map((e) => [e.action, e.attempts])).toEqual([['trigger', 2]]);
      await b.completeEvent(again[0]!.id, T0 + 60_001);
      expect((await a.claimEvents(T0 + 60_001, 10, 60_000)).map((e) => e.action)).toEqual(['acknowledge']);
    });

    it('holds a retried event until its time and keeps failed ones out', async () => {
      await a.track({ incidentId: 1, tier: 'P1', openedAt: T0 });
      await a.setOnce(1, 0, 'triggered', { event: trigger(1) }, T0);
      const [e] = await a.claimEvents(T0, 10, 60_000);
      await a.retryEvent(e!.id, T0 + 30_000, 'PagerDuty answered 429');
      expect(await b.claimEvents(T0 + 29_999, 10, 60_000)).toEqual([]);
      const [retry] = await b.claimEvents(T0 + 30_000, 10, 60_000);
      await b.failEvent(retry!.id, T0 + 30_000, 'PagerDuty answered 400');
      expect(await a.claimEvents(T0 + 999_999, 10, 60_000)).toEqual([]);
      expect((await a.listEvents(1))[0]).toMatchObject({ status: 'failed', attempts: 2 });
    });

    it('fires a timer once, not after cancellation, and recovers a dead claimer’s timer', async () => {
      await a.schedule({ incidentId: 1, kind: 'remind', dueAt: T0 });
      await a.schedule({ incidentId: 1, kind: 'remind', dueAt: T0 + 999 }); // ignored: one per kind
      await a.schedule({ incidentId: 2, kind: 'remind', dueAt: T0 });
      await a.cancelTimers(2);
      expect(await a.claimTimers(T0 - 1, 10, 60_000)).toEqual([]);
      const claimed = await a.claimTimers(T0, 10, 60_000);
      expect(claimed).toEqual([{ incidentId: 1, kind: 'remind', dueAt: T0 }]);
      expect(await b.claimTimers(T0, 10, 60_000)).toEqual([]);
      expect(await b.claimTimers(T0 + 60_000, 10, 60_000)).toHaveLength(1);
      await b.finishTimer(claimed[0]!, 'fired');
      expect(await a.claimTimers(T0 + 999_999, 10, 60_000)).toEqual([]);
    });

    it('claims a day’s digest once and lists each P3 in one digest only', async () => {
      await a.track({ incidentId: 1, tier: 'P3', openedAt: T0 });
      await a.track({ incidentId: 2, tier: 'P3', openedAt: T0 + 10 });
      await a.track({ incidentId: 3, tier: 'P2', openedAt: T0 });
      expect(await a.claimDigest('2026-11-30', T0, 60_000)).toBe(true);
      expect(await b.claimDigest('2026-11-30', T0, 60_000)).toBe(false);
      const listed = await a.listUndigested(0, T0 + 5);
      expect(listed.map((t) => t.incidentId)).toEqual([1]);
      await a.completeDigest('2026-11-30', [1], T0);
      expect(await b.claimDigest('2026-11-30', T0 + 999_999, 60_000)).toBe(false);
      expect((await b.listUndigested(0, T0 + 100)).map((t) => t.incidentId)).toEqual([2]);
    });

    it('re-opens a resolved incident once, and ignores writers with a stale view', async () => {
      await a.track({ incidentId: 1, tier: 'P1', openedAt: T0 });
      await a.setOnce(1, 0, 'triggered', { event: trigger(1), timer: { kind: 'escalate', dueAt: T0 } }, T0);
      await a.setOnce(1, 0, 'resolved', {}, T0);
      await a.finish(1);
      expect(await a.listActive(10)).toEqual([]);
      const reopened = await Promise.all([a.reopen(1, 0), b.reopen(1, 0)]);
      expect(reopened.filter(Boolean)).toHaveLength(1);
      const t = (await a.listActive(10))[0]!;
      expect(t).toMatchObject({ generation: 1, flags: { triggered: false, resolved: false } });
      expect(await b.setOnce(1, 0, 'resolved', {}, T0)).toBe(false); // decided on the old generation
      expect(await b.setOnce(1, 1, 'triggered', { timer: { kind: 'escalate', dueAt: T0 + 5 } }, T0)).toBe(
        true,
      );
      expect(await a.claimTimers(T0 + 5, 10, 60_000)).toEqual([
        { incidentId: 1, kind: 'escalate', dueAt: T0 + 5 },
      ]);
    });

    it('keeps the highest cursor', async () => {
      expect(await a.cursor()).toBe(0);
      await a.advanceCursor(7);
      await b.advanceCursor(3);
      expect(await b.cursor()).toBe(7);
    });

    it('sends a digest email once, retries it when asked, and keeps a failed one out', async () => {
      await a.track({ incidentId: 1, tier: 'P3', openedAt: T0 });
      expect(await a.claimDigest('2026-11-30', T0, 60_000)).toBe(true);
      await a.completeDigest('2026-11-30', [1], T0, '{"subject":"digest"}');
      const [mail] = await a.claimDigestEmails(T0, 60_000);
      expect(mail).toEqual({ day: '2026-11-30', body: '{"subject":"digest"}', attempts: 1 });
      expect(await b.claimDigestEmails(T0, 60_000)).toEqual([]);
      await a.finishDigestEmail('2026-11-30', { retryAt: T0 + 1_000, error: 'relay down' });
      expect(await b.claimDigestEmails(T0 + 999, 60_000)).toEqual([]);
      expect(await b.claimDigestEmails(T0 + 1_000, 60_000)).toMatchObject([{ attempts: 2 }]);
      await b.finishDigestEmail('2026-11-30', { failed: '550 rejected' });
      expect(await a.claimDigestEmails(T0 + 999_999, 60_000)).toEqual([]);
    });
  });
}
