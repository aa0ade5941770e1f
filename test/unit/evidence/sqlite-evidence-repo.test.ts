import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEvidenceRepo } from '../../../store/evidence/sqlite-evidence-repo.ts';
import { describeEvidenceRepoContract } from './evidence-repo-contract.ts';

let dir = '';
describeEvidenceRepoContract(
  'SQLite',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'evidence-repo-'));
    return [openSqliteEvidenceRepo(join(dir, 'bot.db')), openSqliteEvidenceRepo(join(dir, 'bot.db'))];
  },
  async () => rmSync(dir, { recursive: true, force: true }),
);
