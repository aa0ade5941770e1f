import type { IncidentEvidence } from '../../core/evidence.ts';
import type { Section } from '../../core/message.ts';

/**
 * The evidence sections of an incident card, per vetted query: its title, its one-line answer and
 * its table; or one notice saying why there is none.
 */
export function evidenceSections(evidence: IncidentEvidence): Section[] {
  return evidence.items.flatMap((item): Section[] => {
    const params = item.params.map(([k, v]) => `${k}=${v}`).join(' ');
    const title = `Evidence: ${item.title} (${params})`;
    if (item.outcome.status === 'unavailable')
      return [
        {
          kind: 'notice',
          tone: 'warning',
          text: `${title}: evidence unavailable: ${item.outcome.reason}`,
        },
      ];
    if (item.outcome.rows.length === 0)
      return [
        {
          kind: 'notice',
          tone: 'default',
          text: `${title}: ${item.outcome.empty ?? 'no rows (nothing matched).'}`,
        },
      ];
    const { headline, partial, columns, rows, more } = item.outcome;
    // The answer first, under the title; the table (newest rows first) backs it up.
    return [
      { kind: 'text', style: 'heading', text: partial ? `${title} (partial result)` : title },
      ...(headline ? [{ kind: 'notice' as const, tone: headline.tone, text: headline.text }] : []),
      { kind: 'table', columns, rows, more },
    ];
  });
}
