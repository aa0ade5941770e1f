import type { IncidentEvidence } from '../../core/evidence.ts';
import { evidenceOutcome } from '../../handlers/queries/collect-evidence.ts';
import type { LogsRun } from '../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../queries/catalog.ts';

/** A run of catalog query `id` over hand-made rows in its declared columns, with its default parameters. */
export function sampleRun(id: string, rows: unknown[][], params: LogsRun['params'] = {}): LogsRun {
  const query = KQL_CATALOG.get(id)!;
  return {
    query,
    params: { ...(query.params.parse({}) as LogsRun['params']), ...params },
    text: query.text,
    result: { columns: query.columns.map(({ name, type }) => ({ name, type })), rows, partial: false },
  };
}

const ROLES = ['chat-api', 'embeddings', 'summarizer'];

/** gpt-4o throttled from 08:40: 5-minute buckets 08:00 … 08:55, oldest first as the query orders them. */
export function throttleSpikeRun(): LogsRun {
  const rows: unknown[][] = [];
  for (let m = 0; m < 60; m += 5)
    for (const [i, role] of ROLES.entries()) {
      const total = 1_150 + 37 * m + 11 * i;
      const throttled = m >= 40 && role === 'chat-api' ? Math.round(total * 0.312) : (m + i) % 4;
      rows.push([
        `2026-11-28T08:${String(m).padStart(2, '0')}:00Z`,
        role,
        total,
        throttled,
        Math.round((10_000 * throttled) / total) / 100,
      ]);
    }
  return sampleRun('throttle-rate', rows, { deployment: 'gpt-4o', window: 3_600_000, bucket: 300_000 });
}

/** The evidence of a gpt-4o 429 incident, as collected from {@link throttleSpikeRun}. */
export function sampleEvidence(incidentId: number, collectedAt: number): IncidentEvidence {
  return {
    incidentId,
    collectedAt,
    items: [
      {
        queryId: 'throttle-rate',
        title: 'HTTP 429 throttle rate',
        params: [
          ['deployment', 'gpt-4o'],
          ['window', '1h'],
          ['bucket', '5m'],
        ],
        outcome: evidenceOutcome(throttleSpikeRun()),
      },
    ],
  };
}
