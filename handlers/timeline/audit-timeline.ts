import type { NewTimelineEvent } from '../../core/alerts/timeline.ts';
import type { AuditEvent, AuditRecord } from '../../core/remediation/audit.ts';

/**
 * The remediation steps the audit log holds, as timeline events. The outcomes of executions
 * (succeeded, failed, verification failed, void) are recorded in the store's timeline by the flow
 * itself, so they are left out here; refusals stay in the audit (`/audit`), not the timeline.
 */
const SHOWN: Partial<Record<AuditEvent, string>> = {
  proposed: 'remediation-proposed',
  'approval-recorded': 'remediation-approval',
  approved: 'remediation-approved',
  rejected: 'remediation-rejected',
  expired: 'remediation-expired',
  'execution-started': 'remediation-started',
  executed: 'remediation-executed',
  'rollback-offered': 'remediation-rollback-offered',
  'rolled-back': 'remediation-rolled-back',
};

export function auditTimeline(records: readonly AuditRecord[]): NewTimelineEvent[] {
  return records.flatMap((r) => {
    const type = SHOWN[r.event];
    if (type === undefined || r.incidentId === null) return [];
    const what = [r.proposalId === null ? '' : `#${r.proposalId}`, r.actionId ?? '']
      .filter(Boolean)
      .join(' ');
    return [
      {
        incidentId: r.incidentId,
        at: r.at,
        type,
        actor: r.actor,
        actorName: null,
        detail: r.result === 'ok' ? what : `${what}: ${r.result}`,
      },
    ];
  });
}
