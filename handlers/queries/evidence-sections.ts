import type { IncidentEvidence } from '../../core/evidence.ts';
import type { Section } from '../../core/message.ts';

/** The evidence sections of an incident card: one table (or one notice) per vetted query. */
export function evidenceSections(evidence: IncidentEvidence): Section[] {
  return evidence.items.map((item): Section => {
    const params = item.params.map(([k, v]) => `${k}=${v}`).join(' ');
    const title = `Evidence: ${item.title} (${params})`;
    if (item.outcome.status === 'unavailable')
      return {
        kind: 'notice',
        tone: 'warning',
        text: `${title}: evidence unavailable: ${item.outcome.reason}`,
      };
    if (item.outcome.rows.length === 0)
      return { kind: 'notice', tone: 'default', text: `${title}: no rows (nothing matched).` };
    return {
      kind: 'table',
      title: item.outcome.partial ? `${title} (partial result)` : title,
      columns: item.outcome.columns,
      rows: item.outcome.rows,
      more: item.outcome.more,
    };
  });
}
