import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentEvidence } from '../../../core/evidence.ts';
import type { EvidenceRepo } from '../../../store/evidence/evidence-repo.ts';
import { T0, throttleEvidence } from './evidence-fixtures.ts';

const LEASE = 30_000;

/**
 * The evidence repo's contract, run against every engine with two repos on one database standing
 * for two replicas: one of them collects an incident's evidence, and both see what was saved.
 */
export function describeEvidenceRepoContract(
  name: string,
  openPair: () => Promise<[EvidenceRepo, EvidenceRepo]>,
  cleanup: () => Promise<void>,
): void {
  describe(`${name} evidence repo: two connections to one database, as two replicas`, () => {
    let a: EvidenceRepo;
    let b: EvidenceRepo;
    beforeEach(async () => {
      [a, b] = await openPair();
    });
    afterEach(async () => {
      await a.close();
      await b.close();
      await cleanup();
    });

    it('gives a race to claim an incident to exactly one replica', async () => {
      for (const incidentId of [1, 2, 3, 4, 5]) {
        const claims = await Promise.all([
          a.claim(incidentId, 'replica-a', T0, LEASE),
          b.claim(incidentId, 'replica-b', T0, LEASE),
        ]);
        expect(claims.map((c) => c.status).sort()).toEqual(['claimed', 'held']);
        expect(claims.find((c) => c.status === 'held')).toEqual({ status: 'held', until: T0 + LEASE });
      }
    });

    it('holds a claim until its lease runs out, then lets another replica take it over', async () => {
      expect(await a.claim(7, 'replica-a', T0, LEASE)).toEqual({ status: 'claimed', until: T0 + LEASE });
      expect((await b.claim(7, 'replica-b', T0 + LEASE - 1, LEASE)).status).toBe('held');
      // The collector died: once the lease ran out another replica collects.
      expect(await b.claim(7, 'replica-b', T0 + LEASE, LEASE)).toEqual({
        status: 'claimed',
        until: T0 + 2 * LEASE,
      });
      expect((await a.claim(7, 'replica-a', T0 + LEASE + 1, LEASE)).status).toBe('held');
    });

    it('answers a claim of saved evidence with the evidence, on every replica', async () => {
      await a.claim(3, 'replica-a', T0, LEASE);
      await a.save(throttleEvidence(3), T0 + 1_000);
      const expected: IncidentEvidence = throttleEvidence(3);
      expect(await b.claim(3, 'replica-b', T0 + 2_000, LEASE)).toEqual({
        status: 'done',
        evidence: expected,
      });
      // Long after any lease: evidence, once saved, is never collected again.
      expect((await a.claim(3, 'replica-a', T0 + 10 * LEASE, LEASE)).status).toBe('done');
      expect(await b.get(3)).toEqual(expected);
      expect(await b.get(4)).toBeUndefined();
    });

    it('numbers saves so another replica finds everything saved since it last looked', async () => {
      expect(await b.lastSeq()).toBe(0);
      expect(await b.listSince(0, 10)).toEqual([]);
      const first = await a.save(throttleEvidence(1), T0);
      const second = await b.save(throttleEvidence(2), T0);
      expect(second).toBe(first + 1);
      expect((await b.listSince(0, 10)).map((s) => [s.seq, s.evidence.incidentId])).toEqual([
        [first, 1],
        [second, 2],
      ]);
      expect((await a.listSince(first, 10)).map((s) => s.evidence)).toEqual([throttleEvidence(2)]);
      // Evidence saved again (a re-collection after a lease ran out) is a new save: seen again.
      const third = await a.save(throttleEvidence(1, '40'), T0);
      const since = await b.listSince(second, 10);
      expect(since).toEqual([{ seq: third, evidence: throttleEvidence(1, '40') }]);
      expect(await b.lastSeq()).toBe(third);
      expect((await a.listSince(0, 1)).map((s) => s.evidence.incidentId)).toEqual([2]);
    });

    it('numbers concurrent saves without gaps or repeats', async () => {
      const seqs = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).save(throttleEvidence(i + 1), T0)),
      );
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect((await a.listSince(0, 100)).map((s) => s.seq)).toEqual(seqs.sort((x, y) => x - y));
    });

    it('imports evidence only where none is saved', async () => {
      await a.save(throttleEvidence(1, '99'), T0);
      await a.claim(2, 'replica-a', T0, LEASE);
      expect(await b.saveIfMissing(throttleEvidence(1, '1'), T0)).toBe(false);
      expect(await b.saveIfMissing(throttleEvidence(2, '2'), T0)).toBe(true);
      expect(await b.saveIfMissing(throttleEvidence(3, '3'), T0)).toBe(true);
      expect((await a.get(1))?.items[0]?.outcome).toMatchObject({ rows: [['09:00', 'chat-api', '99']] });
      expect((await a.claim(2, 'replica-a', T0, LEASE)).status).toBe('done');
      expect(await a.get(3)).toEqual(throttleEvidence(3, '3'));
    });

    it('refuses evidence that does not match the schema', async () => {
      const bad = { ...throttleEvidence(1), incidentId: -1 };
      await expect(a.save(bad, T0)).rejects.toThrow();
      expect(await a.lastSeq()).toBe(0);
    });
  });
}
