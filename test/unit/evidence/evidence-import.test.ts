import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../bot/logger.ts';
import { importEvidenceFiles } from '../../../handlers/queries/evidence-import.ts';
import type { EvidenceRepo } from '../../../store/evidence/evidence-repo.ts';
import { openSqliteEvidenceRepo } from '../../../store/evidence/sqlite-evidence-repo.ts';
import { T0, throttleEvidence } from './evidence-fixtures.ts';

describe('evidence files of older versions are imported into the evidence repo', () => {
  let dataDir: string;
  let repo: EvidenceRepo;
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => logs.push(l) } });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'evidence-import-'));
    repo = openSqliteEvidenceRepo(join(dataDir, 'bot.db'));
    logs.length = 0;
  });
  afterEach(async () => {
    await repo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const writeFile = (name: string, body: string) => {
    mkdirSync(join(dataDir, 'evidence'), { recursive: true });
    writeFileSync(join(dataDir, 'evidence', name), body);
  };

  it('imports valid files the repo lacks, skips invalid ones, and leaves the files in place', async () => {
    writeFile('INC-1.json', JSON.stringify(throttleEvidence(1, 'from file')));
    writeFile('INC-2.json', JSON.stringify(throttleEvidence(2, 'from file')));
    writeFile('INC-3.json', '{"incidentId": "three"');
    writeFile('INC-4.json.tmp', JSON.stringify(throttleEvidence(4)));
    // Incident 2 was collected again since: the repo's copy wins.
    await repo.save(throttleEvidence(2, 'in repo'), T0);

    expect(await importEvidenceFiles(dataDir, repo, T0, logger)).toBe(1);
    expect(await repo.get(1)).toEqual(throttleEvidence(1, 'from file'));
    expect(await repo.get(2)).toEqual(throttleEvidence(2, 'in repo'));
    expect(await repo.get(3)).toBeUndefined();
    expect(await repo.get(4)).toBeUndefined();
    expect(logs.some((l) => l.includes('EVIDENCE_FILE_INVALID') && l.includes('INC-3.json'))).toBe(true);
    expect(readdirSync(join(dataDir, 'evidence')).sort()).toEqual([
      'INC-1.json',
      'INC-2.json',
      'INC-3.json',
      'INC-4.json.tmp',
    ]);

    // A second start imports nothing more and saves nothing again.
    const seq = await repo.lastSeq();
    expect(await importEvidenceFiles(dataDir, repo, T0, logger)).toBe(0);
    expect(await repo.lastSeq()).toBe(seq);
  });

  it('does nothing when there was never an evidence directory', async () => {
    expect(await importEvidenceFiles(dataDir, repo, T0, logger)).toBe(0);
    expect(await repo.lastSeq()).toBe(0);
  });
});
