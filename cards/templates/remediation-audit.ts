import { formatIncidentId } from '../../core/alerts/incident.ts';
import { buildMessage, type Message } from '../../core/message.ts';
import type { AuditRecord, ChainCheck } from '../../core/remediation/audit.ts';
import { formatTime, type TimeFormat } from './format.ts';
import { shortHash } from './remediation-proposal.ts';

/** `/audit [incident]`: the remediation audit log as a table, with the chain's health. */
export function remediationAuditCard(
  records: readonly AuditRecord[],
  check: ChainCheck,
  scope: { incidentId?: number; more: number },
  tf: TimeFormat,
): Message {
  const title =
    scope.incidentId !== undefined
      ? `Remediation audit: ${formatIncidentId(scope.incidentId)}`
      : 'Remediation audit';
  return buildMessage({
    header: {
      title,
      status: check.ok ? 'info' : 'error',
      subtitle: `${records.length + scope.more} records`,
    },
    sections: [
      check.ok
        ? { kind: 'notice', tone: 'good', text: `Hash chain intact (${check.count} records verified).` }
        : {
            kind: 'notice',
            tone: 'attention',
            text: `Hash chain BROKEN at record ${check.seq}: ${check.reason}.`,
          },
      records.length === 0
        ? { kind: 'text', text: 'No remediation has been proposed yet.' }
        : {
            kind: 'table',
            columns: ['#', 'When', 'Who', 'Event', 'Remediation', 'Plan', 'Result'],
            rows: records.map((r) => [
              String(r.seq),
              formatTime(r.at, tf),
              r.actor,
              r.event,
              r.proposalId !== null ? `#${r.proposalId} ${r.actionId ?? ''}`.trim() : (r.actionId ?? '-'),
              r.planHash ? shortHash(r.planHash) : '-',
              r.result === 'ok' ? r.result : { text: r.result, tone: 'warning' as const },
            ]),
            more: scope.more,
          },
    ],
  });
}
