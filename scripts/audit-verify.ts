/**
 * `npm run audit:verify [path/to/bot.db]`: checks the remediation audit log's hash chain — in
 * PostgreSQL when DATABASE_URL is set, else in the SQLite file. Exit code 0 when intact, 1 when
 * broken (it names the first bad record), 2 when unreadable.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain } from '../remediation/audit.ts';
import { errorCode } from '../store/postgres/db.ts';
import { openPostgresRemediationRepo } from '../store/remediation/postgres-remediation-repo.ts';
import type { RemediationRepo } from '../store/remediation/remediation-repo.ts';
import { openSqliteRemediationRepo } from '../store/remediation/sqlite-remediation-repo.ts';

/** Verifies the chain in one database file; returns the exit code and what to print. */
export async function verifyAuditFile(path: string): Promise<{ code: number; text: string }> {
  if (!existsSync(path))
    return { code: 2, text: `audit:verify: no database at ${path} (pass its path, or set DATA_DIR)` };
  let repo: ReturnType<typeof openSqliteRemediationRepo>;
  try {
    repo = openSqliteRemediationRepo(path, { readonly: true });
  } catch (err) {
    return {
      code: 2,
      text: `audit:verify: cannot read the audit log in ${path} (${(err as Error).message})`,
    };
  }
  return verifyRepo(repo);
}

/** Verifies the chain in the replicas' PostgreSQL database. */
export async function verifyAuditDatabase(url: string): Promise<{ code: number; text: string }> {
  let repo: RemediationRepo;
  try {
    repo = await openPostgresRemediationRepo({ connectionString: url, poolSize: 1 });
  } catch (err) {
    // The URL may hold a password: name the failure, not the URL.
    return {
      code: 2,
      text: `audit:verify: cannot read the audit log in DATABASE_URL (${errorCode(err) || 'error'})`,
    };
  }
  return verifyRepo(repo);
}

async function verifyRepo(repo: RemediationRepo): Promise<{ code: number; text: string }> {
  try {
    const check = verifyAuditChain(await repo.readAuditChain());
    if (check.ok) return { code: 0, text: `audit:verify: OK, ${check.count} records, chain intact` };
    return { code: 1, text: `audit:verify: BROKEN at record ${check.seq}: ${check.reason}` };
  } finally {
    await repo.close();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const url = process.env.DATABASE_URL;
  const path = process.argv[2] ?? join(process.env.DATA_DIR ?? './data', 'bot.db');
  (url && !process.argv[2] ? verifyAuditDatabase(url) : verifyAuditFile(path))
    .then(({ code, text }) => {
      (code === 0 ? console.log : console.error)(text);
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      console.error(`audit:verify: ${(err as Error).message}`);
      process.exitCode = 2;
    });
}
