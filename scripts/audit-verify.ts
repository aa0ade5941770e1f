/**
 * `npm run audit:verify [path/to/bot.db] [--head <seq>:<hash>]`: checks the remediation audit
 * log's hash chain — in PostgreSQL when DATABASE_URL is set, else in the SQLite file — and that it
 * reaches its head: the head row the store keeps beside the chain and, with `--head`, a head
 * copied from a log line ("remediation step" … auditHead) or a proposal card. A chain whose last
 * records were deleted still links up; only a head shows that it was cut short. Exit code 0 when
 * intact, 1 when broken (it names the first bad record), 2 when unreadable or misused.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AuditHead,
  formatAuditHead,
  parseAuditHead,
  verifyAuditChain,
} from '../core/remediation/audit.ts';
import { errorCode } from '../store/postgres/db.ts';
import { openPostgresRemediationRepo } from '../store/remediation/postgres-remediation-repo.ts';
import type { RemediationRepo } from '../store/remediation/remediation-repo.ts';
import { openSqliteRemediationRepo } from '../store/remediation/sqlite-remediation-repo.ts';

/** Verifies the chain in one database file; returns the exit code and what to print. */
export async function verifyAuditFile(
  path: string,
  known?: AuditHead,
): Promise<{ code: number; text: string }> {
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
  return verifyRepo(repo, known);
}

/** Verifies the chain in the replicas' PostgreSQL database. */
export async function verifyAuditDatabase(
  url: string,
  known?: AuditHead,
): Promise<{ code: number; text: string }> {
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
  return verifyRepo(repo, known);
}

async function verifyRepo(
  repo: RemediationRepo,
  known: AuditHead | undefined,
): Promise<{ code: number; text: string }> {
  try {
    const chain = await repo.readAuditChain();
    const head = await repo.auditHead();
    if (!head && chain.length > 0)
      return { code: 1, text: 'audit:verify: BROKEN: the head row is missing (it was deleted)' };
    const check = verifyAuditChain(chain, [
      ...(head ? [{ head, name: 'the head row' }] : []),
      ...(known ? [{ head: known, name: `the given head ${formatAuditHead(known)}` }] : []),
    ]);
    if (!check.ok) return { code: 1, text: `audit:verify: BROKEN at record ${check.seq}: ${check.reason}` };
    if (head && head.seq !== chain.at(-1)?.seq)
      return {
        code: 1,
        text: `audit:verify: BROKEN: the chain goes on after the head row (record ${head.seq})`,
      };
    const reached = known ? `, reaches the given head ${known.seq}` : '';
    const last = chain.at(-1);
    const at = last ? ` (head ${formatAuditHead(last)})` : '';
    return { code: 0, text: `audit:verify: OK, ${check.count} records, chain intact${reached}${at}` };
  } finally {
    await repo.close();
  }
}

/** The command line: an optional database file and an optional `--head <seq>:<hash>`. */
export function parseVerifyArgs(argv: readonly string[]): { path?: string; head?: AuditHead } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { head: { type: 'string' } },
    allowPositionals: true,
  });
  let head: AuditHead | undefined;
  if (values.head !== undefined) {
    try {
      head = parseAuditHead(values.head);
    } catch {
      throw new Error(`--head must be <seq>:<hash> as printed in the logs, e.g. 12:${'ab'.repeat(32)}`);
    }
  }
  return { path: positionals[0], head };
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const url = process.env.DATABASE_URL;
  Promise.resolve()
    .then(() => {
      const args = parseVerifyArgs(process.argv.slice(2));
      const path = args.path ?? join(process.env.DATA_DIR ?? './data', 'bot.db');
      return url && !args.path ? verifyAuditDatabase(url, args.head) : verifyAuditFile(path, args.head);
    })
    .then(({ code, text }) => {
      (code === 0 ? console.log : console.error)(text);
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      console.error(`audit:verify: ${(err as Error).message}`);
      process.exitCode = 2;
    });
}
