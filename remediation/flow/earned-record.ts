import type { AuditRecord } from '../../core/remediation/audit.ts';
import type { StoredAlert } from '../../core/store.ts';

/** The alert rule an incident answers to: the rule of the alert that opened it, with its source. */
export function incidentRule(alerts: readonly StoredAlert[]): string | undefined {
  const first = [...alerts].sort((a, b) => a.firstSeenAt - b.firstSeenAt)[0];
  return first && `${first.alert.source}/${first.alert.rule}`;
}

/** An action's record for one alert rule, as the audit log tells it. */
export interface EarnedRecord {
  /** Approved runs in a row that verified, since the last failure or rollback. */
  runs: number;
  needed: number;
  earned: boolean;
  /** Who approved the latest of those runs. */
  lastApprover: string | undefined;
  /** When a failure or rollback last started the count again. */
  revokedAt: number | undefined;
}

/** The audit events that end a record: the action did not do what it should have. */
const REVOKING = new Set(['execution-failed', 'verify-failed', 'rolled-back']);

/**
 * Reads the record of `actionId` for incidents of `rule` from the audit chain (oldest first). A
 * run counts when people approved it and it verified; unattended runs and rollbacks of the action
 * never count. A failed execution, a failed verification or a rollback of any run of the action
 * for that rule, unattended ones too, sets the count back to zero: people approve N again.
 */
export function earnedRecord(
  chain: readonly AuditRecord[],
  input: {
    actionId: string;
    rule: string;
    needed: number;
    /** The rule of an incident of the chain (undefined: unknown, never counted). */
    ruleOf: (incidentId: number) => string | undefined;
    /** Proposals that are rollbacks of another: their verified runs do not count. */
    isRollback: (proposalId: number) => boolean;
  },
): EarnedRecord {
  let runs = 0;
  let lastApprover: string | undefined;
  let revokedAt: number | undefined;
  const approvers = new Map<number, string>();
  const unattended = new Set<number>();
  for (const r of chain) {
    if (r.actionId !== input.actionId || r.incidentId === null || r.proposalId === null) continue;
    if (input.ruleOf(r.incidentId) !== input.rule) continue;
    if (r.event === 'approved') {
      const list = r.detail.approvers;
      if (Array.isArray(list) && typeof list.at(-1) === 'string') approvers.set(r.proposalId, list.at(-1));
    } else if (r.event === 'auto-approved') unattended.add(r.proposalId);
    else if (REVOKING.has(r.event)) {
      runs = 0;
      lastApprover = undefined;
      revokedAt = r.at;
    } else if (r.event === 'verified' && approvers.has(r.proposalId) && !unattended.has(r.proposalId)) {
      if (input.isRollback(r.proposalId)) continue;
      runs++;
      lastApprover = approvers.get(r.proposalId);
    }
  }
  return { runs, needed: input.needed, earned: runs >= input.needed, lastApprover, revokedAt };
}
