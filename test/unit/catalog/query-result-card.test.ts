import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../../cards/render/adaptive-card.ts';
import { toBlockKit } from '../../../cards/render/block-kit.ts';
import { headlineOf } from '../../../cards/templates/query-headline.ts';
import { catalogCard, queryResultCard } from '../../../cards/templates/query-result.ts';
import type { Incident } from '../../../core/alerts/incident.ts';
import { ManualClock } from '../../../core/clock.ts';
import { buildMessage } from '../../../core/message.ts';
import { collectEvidence } from '../../../handlers/queries/collect-evidence.ts';
import { evidenceSections } from '../../../handlers/queries/evidence-sections.ts';
import type { LogsRun } from '../../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { createSimulatedLogsBackend } from '../../../sim/telemetry/simulated-logs.ts';
import { HOSTILE } from '../../fixtures/hostile-text.ts';
import { sampleRun } from '../../helpers/sample-results.ts';

const query = KQL_CATALOG.get('throttle-rate')!;
const at10 = '2026-11-28T08:10:00Z';
// markdown-it ships no types; only its render(text) is used here.
const md = (createRequire(import.meta.url)('markdown-it') as (o: object) => { render(s: string): string })({
  linkify: true,
  html: true,
});

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

const row = (i: number) => [
  `2026-11-28T08:${String(i).padStart(2, '0')}:00Z`,
  'chat-api',
  1000 + i,
  30,
  30.5,
];

describe('the query result card', () => {
  it('shows the newest ten rows first, hides the oldest behind "N more", with units and grouped numbers', () => {
    const card = queryResultCard(runWith(Array.from({ length: 14 }, (_, i) => row(i))), { backend: 'local' });
    const table = card.sections.find((s) => s.kind === 'table');
    expect(table).toMatchObject({
      more: 4,
      columns: ['TimeGenerated', 'AppRoleName', 'Total (req)', 'Throttled (req)', 'ThrottleRate (%)'],
    });
    if (table?.kind !== 'table') throw new Error('no table');
    expect(table.rows[0]).toEqual(['2026-11-28 08:13Z', 'chat-api', '1,013', '30', '30.50']);
    // 08:13 down to 08:04: the four oldest (08:00 … 08:03) are the ones left out.
    expect(table.rows.map((r) => r[0])).toEqual(
      Array.from({ length: 10 }, (_, i) => `2026-11-28 08:${String(13 - i).padStart(2, '0')}Z`),
    );
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
    expect(JSON.stringify(card)).toContain(
      '/kql throttle-rate [window=…] [start=…] [end=…] [bucket=…] [deployment=…] [model_version=…] [app_role=…] [operation=…] [team=…]',
    );
  });
});

describe('evidence sections', () => {
  it('per answered query its title, its one-line answer, then its table; "evidence unavailable" per failed one', () => {
    const sections = evidenceSections({
      incidentId: 3,
      collectedAt: 1,
      items: [
        {
          queryId: 'throttle-rate',
          title: 'HTTP 429 throttle rate',
          params: [['deployment', 'gpt-4o']],
          outcome: {
            status: 'ok',
            headline: {
              text: 'Throttle rate 31.20% on chat-api — above the 5.00% threshold',
              tone: 'attention',
            },
            columns: ['A'],
            rows: [['1']],
            more: 2,
            partial: false,
          },
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
      { kind: 'text', style: 'heading', text: 'Evidence: HTTP 429 throttle rate (deployment=gpt-4o)' },
      {
        kind: 'notice',
        tone: 'attention',
        text: 'Throttle rate 31.20% on chat-api — above the 5.00% threshold',
      },
      { kind: 'table', columns: ['A'], rows: [['1']], more: 2 },
      {
        kind: 'notice',
        tone: 'warning',
        text: 'Evidence: Latency distribution per app role (window=1h): evidence unavailable: timed out (no answer within 10 s)',
      },
    ]);
  });
});

describe('the one-line answer', () => {
  const at = (min: number) => `2026-11-28T08:${String(min).padStart(2, '0')}:00Z`;

  it('leads the /kql card: the newest bucket’s worst value, with its unit, above the threshold', () => {
    const run = sampleRun('throttle-rate', [
      [at(5), 'chat-api', 1000, 900, 90],
      [at(5), 'embeddings', 1000, 10, 1],
      [at(10), 'chat-api', 1000, 312, 31.2],
      [at(10), 'embeddings', 1000, 21, 2.1],
    ]);
    const card = queryResultCard(run, { backend: 'local' });
    expect(card.sections[0]).toEqual({
      kind: 'notice',
      tone: 'attention',
      text: 'Throttle rate 31.20% on chat-api at 2026-11-28 08:10Z — above the 5.00% threshold',
    });
    expect(headlineOf(sampleRun('throttle-rate', [[at(10), 'chat-api', 1000, 12, 1.2]]))).toEqual({
      text: 'Throttle rate 1.20% on chat-api at 2026-11-28 08:10Z — below the 5.00% threshold',
      tone: 'good',
    });
  });

  it('reads a fixed threshold in the column’s unit, or the run’s own threshold parameter', () => {
    const latency = (p95: number) => ['chat-api', 5_000, 800, 1_200, 1_900, p95, 4_100, 9_000];
    expect(headlineOf(sampleRun('latency-distribution', [latency(1_500.4), latency(2_807.2)]))).toEqual({
      text: 'Slowest P95 latency 2,807 ms on chat-api — above the 2,000 ms threshold',
      tone: 'attention',
    });
    const slow = [[at(10), 'chat-api', 42, 2_400, 2_807.2, 3_900]];
    expect(headlineOf(sampleRun('slow-requests', slow, { slo_ms: 3_000 }))?.text).toBe(
      'P95 latency of slow requests 2,807 ms on chat-api at 2026-11-28 08:10Z — below the 3,000 ms threshold',
    );
    expect(headlineOf(sampleRun('slow-requests', slow, { slo_ms: 2_500 }))?.tone).toBe('attention');
  });

  it('compares with the baseline column of the same row', () => {
    const run = sampleRun('error-spike', [
      ['chat-api', 12_000, 504, 4.2, 0.4, 10.5],
      ['embeddings', 3_000, 30, 1, 0.5, 2],
    ]);
    expect(headlineOf(run)).toEqual({
      text: 'Error rate 4.20% on chat-api — above the 0.40% baseline (10.5×)',
      tone: 'attention',
    });
  });

  it('takes the lowest when lower is worse, and reads timespans as durations', () => {
    const cache = sampleRun('cache-hit-rate', [
      ['chat-api', 1_000, 500, 50],
      ['batch-eval', 2_000, 200, 10],
    ]);
    expect(headlineOf(cache)).toEqual({
      text: 'Lowest cache hit rate 10.0% on batch-eval — below the 20.0% threshold',
      tone: 'attention',
    });
    const fresh = sampleRun(
      'pipeline-freshness',
      [
        ['rag-index', at(0), '03:12:00', true, at(9), 4],
        ['embeddings-refresh', at(40), '00:20:00', false, at(40), 0],
      ],
      { stale_after: 7_200_000 },
    );
    expect(headlineOf(fresh)?.text).toBe(
      'Longest since a successful run 3h 12m on rag-index — above the 2h threshold',
    );
    const table = queryResultCard(fresh, { backend: 'local' }).sections.find((s) => s.kind === 'table');
    expect(table?.kind === 'table' && table.rows.map((r) => r[2])).toEqual(['3h 12m', '20m']);
  });

  it('a table dated by a time column shows the newest row first and answers about it', () => {
    const run = sampleRun('model-version-comparison', [
      ['2024-08-06', '2026-11-27T09:00:00Z', '2026-11-28T07:00:00Z', 90_000, 800, 1_210.5, 0.2, 0.1],
      ['2024-11-20', '2026-11-28T07:00:00Z', '2026-11-28T09:00:00Z', 12_000, 2_100, 4_812.4, 1.5, 0.3],
    ]);
    const card = queryResultCard(run, { backend: 'local' });
    const table = card.sections.find((s) => s.kind === 'table');
    expect(table?.kind === 'table' && table.rows.map((r) => r[0])).toEqual(['2024-11-20', '2024-08-06']);
    expect(card.sections[0]).toMatchObject({
      text: 'P95 latency 4,812 ms on 2024-11-20 — above the 2,000 ms threshold',
    });
  });
});

describe('hostile text in a result cell', () => {
  /** Teams reads TextBlock and TextRun text as markdown: what markdown-it makes of each. */
  const acHtml = (card: unknown) => {
    const out: string[] = [];
    JSON.stringify(card, (_k, v) => {
      if (v && typeof v === 'object' && (v.type === 'TextBlock' || v.type === 'TextRun'))
        out.push(md.render(v.text));
      return v;
    });
    return out;
  };

  it.each(HOSTILE)('%s stays text in the cell and the headline, on Teams and on Slack', async (s) => {
    const run = sampleRun('throttle-rate', [[at10, s, 1000, 312, 31.2]]);
    const kql = queryResultCard(run, { backend: 'local' });
    const backend = createSimulatedLogsBackend(new ManualClock(), { historyMs: 3_600_000 });
    const evidence = await collectEvidence(
      { ...backend, run: async () => run },
      { id: 9 } as Incident,
      [{ queryId: 'throttle-rate', params: {} }],
      1_000,
      () => 1,
    );
    const card = buildMessage({ sections: evidenceSections(evidence) });
    for (const msg of [kql, card]) {
      const table = msg.sections.find((x) => x.kind === 'table');
      expect(table?.kind === 'table' && table.rows[0]?.[1]).toBe(s.slice(0, 200));
      const notice = msg.sections.find((x) => x.kind === 'notice' && x.tone === 'attention');
      expect(notice?.kind === 'notice' && notice.text).toContain(`on ${s.slice(0, 80)}`);
      for (const html of acHtml(toAdaptiveCard(msg)))
        expect(html).not.toMatch(/<(a|strong|em|h\d|li|ul|ol|script|img|at)\b/i);
      const slack = JSON.stringify(toBlockKit(msg).blocks);
      expect(slack).not.toMatch(/<[!@#]|<https?:|<script/);
    }
  });
});
