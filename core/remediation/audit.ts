import { z } from 'zod';
import { canonicalJson } from '../canonical-json.ts';
import { sha256 } from './plan.ts';

/** What happened; one record per step of a remediation's life, plus policy switches. */
export const auditEvent = z.enum([
  'proposed',
  /** A proposal refused by policy: not authorised, a guardrail, a failed dry run. */
  'proposal-refused',
  'approval-recorded',
  /** An approval refused: four-eyes, not authorised, duplicate, stale card, not pending. */
  'approval-refused',
  'approved',
  /** Approved by the action's earned record (`mode: auto`): the run needs nobody's approval. */
  'auto-approved',
  'rejected',
  'expired',
  'voided',
  'execution-started',
  'executed',
  'execution-failed',
  'verified',
  'verify-failed',
  'rollback-offered',
  /** A failed or verified remediation undone by its verified rollback proposal. */
  'rolled-back',
  'remediation-off',
  'remediation-on',
]);
export type AuditEvent = z.infer<typeof auditEvent>;

/** An audit record before it joins the chain. */
export const auditInput = z.object({
  at: z.number().int(),
  /** Platform-qualified user id, or `bot` for the bot's own steps. */
  actor: z.string().min(1),
  event: auditEvent,
  proposalId: z.number().int().nullable().default(null),
  incidentId: z.number().int().nullable().default(null),
  actionId: z.string().nullable().default(null),
  planHash: z.string().nullable().default(null),
  /** Short outcome: `ok`, a refusal code, an error code. */
  result: z.string().default('ok'),
  detail: z.record(z.string(), z.unknown()).default({}),
});
export type AuditInput = z.input<typeof auditInput>;

/** A record in the chain: it carries the hash of the previous record and its own. */
export const auditRecord = auditInput.extend({
  seq: z.number().int().positive(),
  prevHash: z.string().length(64),
  hash: z.string().length(64),
});
export type AuditRecord = z.infer<typeof auditRecord>;

/** The `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash of a record: SHA-256 over the canonical JSON of every field but `hash`. */
export function hashAuditRecord(record: Omit<AuditRecord, 'hash'>): string {
  return sha256(canonicalJson(record));
}

/** Builds the next record of the chain after `previous` (undefined for the first). */
export function chainAuditRecord(
  input: AuditInput,
  previous: Pick<AuditRecord, 'seq' | 'hash'> | undefined,
): AuditRecord {
  const body = {
    ...auditInput.parse(input),
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: hashAuditRecord(body) };
}

export type ChainCheck =
  | { ok: true; count: number }
  | { ok: false; count: number; seq: number; reason: string };

/**
 * The last record of the chain as known outside the table: the head row the store updates in
 * the same transaction, or a `seq:hash` an operator copied from a log line or a chat thread.
 * A chain cut short still links up on its own; only a head it must reach shows the truncation.
 */
export const auditHead = z.object({
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash in hex (64 characters)'),
});
export type AuditHead = z.infer<typeof auditHead>;

/** Parses `<seq>:<hash>` (as printed in logs and on remediation cards). */
export function parseAuditHead(text: string): AuditHead {
  const [seq, hash] = text.split(':');
  return auditHead.parse({ seq: Number(seq), hash: hash?.toLowerCase() });
}

/** `<seq>:<hash>`: how a head is printed, and read back by `audit:verify --head`. */
export function formatAuditHead(head: AuditHead): string {
  return `${head.seq}:${head.hash}`;
}

/**
 * Checks a whole chain in order: consecutive sequence numbers, each record linked to the previous
 * hash, each hash matching its content. Any edit, insertion or deletion breaks one of these.
 */
export function verifyAuditChain(
  records: Iterable<AuditRecord>,
  heads: readonly { head: AuditHead; name: string }[] = [],
): ChainCheck {
  let previous: AuditRecord | undefined;
  let count = 0;
  const want = new Map(heads.map((h) => [h.head.seq, h]));
  for (const r of records) {
    count++;
    const seq = (previous?.seq ?? 0) + 1;
    if (r.seq !== seq)
      return { ok: false, count, seq: r.seq, reason: `expected record ${seq}, found ${r.seq}` };
    if (r.prevHash !== (previous?.hash ?? GENESIS_HASH))
      return { ok: false, count, seq: r.seq, reason: 'does not link to the previous record' };
    const { hash, ...body } = r;
    if (hashAuditRecord(body) !== hash)
      return { ok: false, count, seq: r.seq, reason: 'content does not match its hash' };
    const head = want.get(r.seq);
    if (head && head.head.hash !== hash)
      return { ok: false, count, seq: r.seq, reason: `its hash differs from ${head.name}` };
    previous = r;
  }
  // Every record links up, but records after a known head were cut off (truncation).
  for (const { head, name } of heads)
    if (head.seq > (previous?.seq ?? 0))
      return {
        ok: false,
        count,
        seq: head.seq,
        reason: `missing: the chain ends at record ${previous?.seq ?? 0} but ${name} is record ${head.seq} (records were deleted)`,
      };
  return { ok: true, count };
}
