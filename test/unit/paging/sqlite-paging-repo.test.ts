import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlitePagingRepo } from '../../../store/paging/sqlite-paging-repo.ts';
import { describePagingRepoContract } from './paging-repo-contract.ts';

let dir = '';
describePagingRepoContract(
  'SQLite',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'paging-repo-'));
    return [openSqlitePagingRepo(join(dir, 'bot.db')), openSqlitePagingRepo(join(dir, 'bot.db'))];
  },
  async () => rmSync(dir, { recursive: true, force: true }),
);
