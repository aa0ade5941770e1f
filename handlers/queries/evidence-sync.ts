import { EVIDENCE_CACHE_LIMIT, type EvidenceCache } from '../../core/evidence.ts';
import type { EvidenceRepo } from '../../store/evidence/evidence-repo.ts';

/** Saves read per query while catching up. */
const PAGE = 200;

/**
 * Keeps a replica's {@link EvidenceCache} up to date with the shared repo: each `refresh()` loads
 * the saves made (by any replica) since the last one it saw. The first refresh starts from the
 * newest saves the cache can hold. Concurrent calls share one run.
 */
export function createEvidenceSync(repo: EvidenceRepo, cache: EvidenceCache) {
  let cursor: number | undefined;
  let running: Promise<number[]> | undefined;

  async function catchUp(): Promise<number[]> {
    cursor ??= Math.max(0, (await repo.lastSeq()) - EVIDENCE_CACHE_LIMIT);
    const loaded: number[] = [];
    for (;;) {
      const page = await repo.listSince(cursor, PAGE);
      for (const { seq, evidence } of page) {
        cache.put(evidence);
        loaded.push(evidence.incidentId);
        cursor = Math.max(cursor, seq);
      }
      if (page.length < PAGE) return loaded;
    }
  }

  return {
    /** Loads what was saved since the last look; returns the incidents whose evidence it loaded. */
    refresh(): Promise<number[]> {
      running ??= catchUp().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
