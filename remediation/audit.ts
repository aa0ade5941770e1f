import { z } from 'zod';
import { canonicalJson, sha256 } from './plan.ts';

/** What happened; one record per step of a remediation's life, plus policy switches. */
export const auditEvent = z.enum([
  'proposed',
  /** A proposal refused by policy: not authorised, a guardrail, a failed dry run. */
  'proposal-refused',
  'approval-recorded',
  /** An approval refused: four-eyes, not authorised, duplicate, stale card, not pending. */
  'approval-refused',
  'approved',
  'rejected',
  'expired',
  'voided',
  'execution-started',
  'executed',
  'execution-failed',
  'verified',
  'verify-failed',
  'rollback-offered',
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
 * Checks a whole chain in order: consecutive sequence numbers, each record linked to the previous
 * hash, each hash matching its content. Any edit, insertion or deletion breaks one of these.
 */
export function verifyAuditChain(records: Iterable<AuditRecord>): ChainCheck {
  let previous: AuditRecord | undefined;
  let count = 0;
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
    previous = r;
  }
  return { ok: true, count };
}
