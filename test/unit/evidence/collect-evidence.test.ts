import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../core/alerts/incident.ts';
import { ManualClock } from '../../../core/clock.ts';
import { collectEvidence, EVIDENCE_ROWS } from '../../../handlers/queries/collect-evidence.ts';
import { createSimulatedLogsBackend } from '../../../sim/telemetry/simulated-logs.ts';

const clock = new ManualClock();
const backend = createSimulatedLogsBackend(clock, { historyMs: 86_400_000 });
const incident = {
  id: 7,
  kind: 'aoai-throttling',
  resource: { deployment: 'gpt-4o' },
} as unknown as Incident;

/** `2026-11-28T08:05:00Z` as a card shows it: `2026-11-28 08:05Z`. */
const shown = (iso: unknown) =>
  String(iso)
    .replace('T', ' ')
    .replace(/:\d\d(\.\d+)?Z$/, 'Z');

describe('evidence collection over the simulated telemetry', () => {
  it('keeps the newest rows, newest first, and says how many older ones it left out', async () => {
    const params = { deployment: 'gpt-4o', window: '2h', bucket: '5m' };
    const full = await backend.run('throttle-rate', params);
    expect(full.result.rows.length).toBeGreaterThan(EVIDENCE_ROWS * 2);
    const [item] = (
      await collectEvidence(backend, incident, [{ queryId: 'throttle-rate', params }], 5_000, () => 1)
    ).items;
    if (item?.outcome.status !== 'ok') throw new Error('throttle-rate should answer');
    const { columns, rows, more, headline } = item.outcome;
    expect(columns).toEqual([
      'TimeGenerated',
      'AppRoleName',
      'Total (req)',
      'Throttled (req)',
      'ThrottleRate (%)',
    ]);
    expect(rows).toHaveLength(EVIDENCE_ROWS);
    expect(more).toBe(full.result.rows.length - EVIDENCE_ROWS);

    // The query orders oldest first; the card shows the reverse, and drops the oldest.
    const times = full.result.rows.map((r) => String(r[0]));
    const newest = [...times].sort().reverse().slice(0, EVIDENCE_ROWS).map(shown);
    expect(rows.map((r) => r[0])).toEqual(newest);
    expect(rows[0]![0]).toBe(shown(times.at(-1)));
    expect(rows.map((r) => r[0])).not.toContain(shown(times[0]));
    // Rates carry the column's two decimals on every row.
    for (const r of rows) expect(r[4]).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);

    expect(headline?.text).toMatch(
      /^Throttle rate \d+\.\d{2}% on [\w-]+ at \d{4}-\d\d-\d\d \d\d:\d\dZ — (above|below|at) the 5\.00% threshold$/,
    );
    expect(headline?.text).toContain(`at ${rows[0]![0]}`);
  });

  it('keeps a ranked result in the query’s order (the worst first)', async () => {
    const full = await backend.run('latency-distribution', { window: '1h' });
    const [item] = (
      await collectEvidence(
        backend,
        incident,
        [{ queryId: 'latency-distribution', params: { window: '1h' } }],
        5_000,
        () => 1,
      )
    ).items;
    if (item?.outcome.status !== 'ok') throw new Error('latency-distribution should answer');
    expect(item.outcome.rows.map((r) => r[0])).toEqual(
      full.result.rows.slice(0, EVIDENCE_ROWS).map((r) => r[0]),
    );
    expect(item.outcome.headline?.text).toContain('Slowest P95 latency');
    expect(item.outcome.headline?.text).toContain(`on ${String(full.result.rows[0]![0])} — `);
    expect(item.outcome.headline?.text).toMatch(
      /^Slowest P95 latency [\d,]+ ms on .+ — (above|below|at) the 2,000 ms threshold$/,
    );
  });
});
