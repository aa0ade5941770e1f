import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvidenceCache } from '../../../core/evidence.ts';
import { createEvidenceSync } from '../../../handlers/queries/evidence-sync.ts';
import type { EvidenceRepo } from '../../../store/evidence/evidence-repo.ts';
import { openSqliteEvidenceRepo } from '../../../store/evidence/sqlite-evidence-repo.ts';
import { T0, throttleEvidence } from './evidence-fixtures.ts';

describe('a replica’s evidence cache follows the shared repo', () => {
  let dir: string;
  let writer: EvidenceRepo;
  let reader: EvidenceRepo;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'evidence-sync-'));
    writer = openSqliteEvidenceRepo(join(dir, 'bot.db'));
    reader = openSqliteEvidenceRepo(join(dir, 'bot.db'));
  });
  afterEach(async () => {
    await writer.close();
    await reader.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads what other replicas saved since it last looked, each save once', async () => {
    const cache = new EvidenceCache();
    const sync = createEvidenceSync(reader, cache);
    await writer.save(throttleEvidence(1), T0);
    expect(await sync.refresh()).toEqual([1]);
    expect(cache.get(1)).toEqual(throttleEvidence(1));
    expect(await sync.refresh()).toEqual([]);

    // More than one page behind, and a re-collected incident.
    for (let id = 2; id <= 450; id++) await writer.save(throttleEvidence(id), T0);
    await writer.save(throttleEvidence(1, '77'), T0);
    const loaded = await sync.refresh();
    expect(loaded).toHaveLength(450);
    expect(loaded.at(-1)).toBe(1);
    expect(cache.get(450)).toEqual(throttleEvidence(450));
    expect(cache.get(1)).toEqual(throttleEvidence(1, '77'));
  });

  it('shares one run between concurrent refreshes', async () => {
    const sync = createEvidenceSync(reader, new EvidenceCache());
    await writer.save(throttleEvidence(5), T0);
    const [x, y] = await Promise.all([sync.refresh(), sync.refresh()]);
    expect(x).toEqual([5]);
    expect(y).toBe(x);
  });

  it('keeps at most its limit, forgetting the oldest saves first', () => {
    const cache = new EvidenceCache(2);
    cache.put(throttleEvidence(1));
    cache.put(throttleEvidence(2));
    cache.put(throttleEvidence(1, 'again'));
    cache.put(throttleEvidence(3));
    expect(cache.size).toBe(2);
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toEqual(throttleEvidence(1, 'again'));
    expect(cache.get(3)).toBeDefined();
  });
});
