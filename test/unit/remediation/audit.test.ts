import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AuditRecord,
  chainAuditRecord,
  GENESIS_HASH,
  verifyAuditChain,
} from '../../../core/remediation/audit.ts';
import { parseVerifyArgs, verifyAuditFile } from '../../../scripts/audit-verify.ts';
import type { RemediationRepo } from '../../../store/remediation/remediation-repo.ts';
import { openSqliteRemediationRepo } from '../../../store/remediation/sqlite-remediation-repo.ts';

function chain(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      chainAuditRecord(
        { at: 1000 + i, actor: `console:u${i}`, event: 'proposed', proposalId: i + 1 },
        out.at(-1),
      ),
    );
  return out;
}

describe('audit hash chain', () => {
  it('links each record to the previous one and verifies', () => {
    const records = chain(3);
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    expect(records[1]?.prevHash).toBe(records[0]?.hash);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(verifyAuditChain(records)).toEqual({ ok: true, count: 3 });
  });

  it('detects an edited, a deleted and a re-ordered record', () => {
    const edited = chain(3);
    edited[1] = { ...edited[1]!, actor: 'console:mallory' };
    expect(verifyAuditChain(edited)).toMatchObject({
      ok: false,
      seq: 2,
      reason: 'content does not match its hash',
    });
    const deleted = chain(3).filter((r) => r.seq !== 2);
    expect(verifyAuditChain(deleted)).toMatchObject({
      ok: false,
      seq: 3,
      reason: 'expected record 2, found 3',
    });
    const [a, b, c] = chain(3);
    const renumbered = [a!, { ...c!, seq: 2 }, { ...b!, seq: 3 }];
    expect(verifyAuditChain(renumbered)).toMatchObject({ ok: false, seq: 2 });
  });

  it('detects a re-hashed edit: the next record no longer links', () => {
    const records = chain(3);
    const forged = chainAuditRecord(
      { at: 1001, actor: 'console:mallory', event: 'proposed', proposalId: 2 },
      records[0],
    );
    records[1] = forged;
    expect(verifyAuditChain(records)).toMatchObject({
      ok: false,
      seq: 3,
      reason: 'does not link to the previous record',
    });
  });
});

describe('audit log in SQLite and audit:verify', () => {
  let dir: string;
  let path: string;
  let repo: RemediationRepo;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-'));
    path = join(dir, 'bot.db');
    repo = openSqliteRemediationRepo(path);
  });
  afterEach(async () => {
    await repo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends, refuses updates and deletes, and verifies the stored chain', async () => {
    for (let i = 0; i < 4; i++)
      await repo.appendAudit({ at: i, actor: 'console:alice', event: 'remediation-off', detail: { i } });
    expect(await verifyAuditFile(path)).toEqual({
      code: 0,
      text: expect.stringMatching(/^audit:verify: OK, 4 records, chain intact \(head 4:[0-9a-f]{64}\)$/),
    });
    const db = new Database(path);
    expect(() =>
      db.prepare("UPDATE remediation_audit SET actor = 'console:mallory' WHERE seq = 2").run(),
    ).toThrow('append-only');
    expect(() => db.prepare('DELETE FROM remediation_audit WHERE seq = 4').run()).toThrow('append-only');
    db.close();
  });

  it('detects the last record deleted behind the triggers, by the head row and by a given head', async () => {
    for (let i = 0; i < 3; i++)
      await repo.appendAudit({ at: i, actor: 'console:alice', event: 'remediation-on' });
    const last = (await repo.readAuditChain()).at(-1)!;
    expect(await repo.auditHead()).toEqual({ seq: 3, hash: last.hash });
    const { head } = parseVerifyArgs([path, '--head', `3:${last.hash}`]);
    expect((await verifyAuditFile(path, head)).code).toBe(0);
    const db = new Database(path);
    db.exec('DROP TRIGGER remediation_audit_no_delete');
    db.prepare('DELETE FROM remediation_audit WHERE seq = 3').run();
    db.close();
    // What verification saw before: the rest of the chain still links up.
    expect(verifyAuditChain(await repo.readAuditChain())).toEqual({ ok: true, count: 2 });
    expect(await verifyAuditFile(path)).toEqual({
      code: 1,
      text: 'audit:verify: BROKEN at record 3: missing: the chain ends at record 2 but the head row is record 3 (records were deleted)',
    });
    // The head row rewound too: the head copied from a log line or a card still catches it.
    const db2 = new Database(path);
    db2.prepare('UPDATE remediation_audit_head SET seq = 2, hash = ?').run(last.prevHash);
    db2.close();
    expect((await verifyAuditFile(path)).code).toBe(0);
    expect(await verifyAuditFile(path, head)).toMatchObject({
      code: 1,
      text: expect.stringContaining(`missing: the chain ends at record 2 but the given head 3:${last.hash}`),
    });
    expect(() => parseVerifyArgs(['--head', '3:nothex'])).toThrow(/--head must be <seq>:<hash>/);
  });

  it('detects a record tampered with behind the triggers', async () => {
    for (let i = 0; i < 3; i++)
      await repo.appendAudit({ at: i, actor: 'console:alice', event: 'remediation-on' });
    const db = new Database(path);
    db.exec('DROP TRIGGER remediation_audit_no_update');
    db.prepare("UPDATE remediation_audit SET actor = 'console:mallory' WHERE seq = 2").run();
    db.close();
    expect(await verifyAuditFile(path)).toEqual({
      code: 1,
      text: 'audit:verify: BROKEN at record 2: content does not match its hash',
    });
    expect((await verifyAuditFile(join(dir, 'missing.db'))).code).toBe(2);
    const other = join(dir, 'other.db');
    new Database(other).close();
    expect(await verifyAuditFile(other)).toMatchObject({
      code: 2,
      text: expect.stringContaining('no such table'),
    });
  });
});
