import { describe, expect, it } from 'vitest';
import { catalogCard, queryResultCard } from '../../../cards/templates/query-result.ts';
import { evidenceSections } from '../../../handlers/queries/evidence-sections.ts';
import type { LogsRun } from '../../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';

const query = KQL_CATALOG.get('throttle-rate')!;

function runWith(rows: unknown[][], extra: Partial<LogsRun> = {}, partial = false): LogsRun {
  return {
    query,
    params: { window: 1_800_000, bucket: 300_000, deployment: 'gpt-4o' },
    text: 'let window = 1800000ms; …',
    result: {
      columns: query.columns,
      rows,
      partial,
      ...(partial ? { partialReason: 'PartialError: truncated' } : {}),
    },
    ...extra,
  };
}

const row = (i: number) => [`2026-11-28T08:${String(i).padStart(2, '0')}:00Z`, 'chat-api', 100, 30, 30.5];

describe('the query result card', () => {
  it('shows the first ten rows, "N more", the parameters as typed, and the KQL collapsed', () => {
    const card = queryResultCard(runWith(Array.from({ length: 14 }, (_, i) => row(i))), { backend: 'local' });
    const table = card.sections.find((s) => s.kind === 'table');
    expect(table).toMatchObject({
      more: 4,
      columns: ['TimeGenerated', 'AppRoleName', 'Total', 'Throttled', 'ThrottleRate'],
    });
    expect(table?.kind === 'table' && table.rows[0]).toEqual([
      '2026-11-28 08:00Z',
      'chat-api',
      '100',
      '30',
      '30.5',
    ]);
    expect(card.sections.find((s) => s.kind === 'facts')).toMatchObject({
      facts: [
        ['window', '30m'],
        ['bucket', '5m'],
        ['deployment', 'gpt-4o'],
      ],
    });
    expect(card.sections.find((s) => s.kind === 'code')).toEqual({
      kind: 'code',
      title: 'KQL that ran',
      code: 'let window = 1800000ms; …',
      collapsed: true,
    });
    expect(card.sections.some((s) => s.kind === 'links')).toBe(false);
  });

  it('links to Log Analytics in production and flags partial results', () => {
    const card = queryResultCard(
      runWith([row(1)], { portalUrl: 'https://portal.azure.com/#blade/x' }, true),
      {
        backend: 'azure',
      },
    );
    expect(card.sections).toContainEqual({
      kind: 'links',
      links: [{ title: 'Open in Log Analytics', url: 'https://portal.azure.com/#blade/x' }],
    });
    expect(card.sections).toContainEqual({
      kind: 'notice',
      tone: 'warning',
      text: 'Partial result: PartialError: truncated.',
    });
    expect(card.header?.status).toBe('warning');
  });

  it('lists the catalog with each query’s usage', () => {
    const card = catalogCard(KQL_CATALOG);
    const table = card.sections[0];
    expect(table?.kind === 'table' && table.rows.length).toBe(KQL_CATALOG.size);
    expect(JSON.stringify(card)).toContain('/kql throttle-rate [window=…] [bucket=…] [deployment=…]');
  });
});

describe('evidence sections', () => {
  it('a table per answered query, "evidence unavailable: <reason>" per failed one', () => {
    const sections = evidenceSections({
      incidentId: 3,
      collectedAt: 1,
      items: [
        {
          queryId: 'throttle-rate',
          title: 'HTTP 429 throttle rate',
          params: [['deployment', 'gpt-4o']],
          outcome: { status: 'ok', columns: ['A'], rows: [['1']], more: 2, partial: false },
        },
        {
          queryId: 'latency-distribution',
          title: 'Latency distribution per app role',
          params: [['window', '1h']],
          outcome: { status: 'unavailable', reason: 'timed out (no answer within 10 s)' },
        },
      ],
    });
    expect(sections).toEqual([
      {
        kind: 'table',
        title: 'Evidence: HTTP 429 throttle rate (deployment=gpt-4o)',
        columns: ['A'],
        rows: [['1']],
        more: 2,
      },
      {
        kind: 'notice',
        tone: 'warning',
        text: 'Evidence: Latency distribution per app role (window=1h): evidence unavailable: timed out (no answer within 10 s)',
      },
    ]);
  });
});
