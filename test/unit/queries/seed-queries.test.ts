import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bindParameters } from '../../../queries/bind-parameters.ts';
import { KqlEngine } from '../../../queries/engine/engine.ts';
import { APP_REQUESTS } from '../../../queries/engine/table-schemas.ts';
import { kustoDiagnostics } from './kusto-language.ts';

const KQL_DIR = fileURLToPath(new URL('../../../queries/kql/', import.meta.url));
const read = (name: string): string => readFileSync(`${KQL_DIR}${name}.kql`, 'utf8');
const NOW = Date.UTC(2026, 0, 8);
const MIN = 60_000;

function row(
  minutesAgo: number,
  role: string,
  ms: number,
  code: string,
  deployment: string,
  tokens?: number,
) {
  return {
    TimeGenerated: NOW - minutesAgo * MIN,
    AppRoleName: role,
    DurationMs: ms,
    ResultCode: code,
    Success: code.startsWith('2'),
    Properties: tokens === undefined ? { deployment } : { deployment, 'tokens.total': tokens },
    ItemCount: 1,
  };
}

// A table small enough to compute every expected figure by hand (see each test).
const ROWS = [
  row(10, 'chat-api', 100, '200', 'gpt-4o', 50),
  row(10, 'chat-api', 2500, '200', 'gpt-4o', 150),
  row(12, 'chat-api', 2001, '200', 'gpt-4o', 120),
  row(20, 'chat-api', 3000, '429', 'gpt-4o'),
  row(20, 'embed-api', 40, '200', 'embed', 10),
  row(40, 'embed-api', 4000, '500', 'embed', 20),
  row(2 * 1440, 'chat-api', 200, '200', 'gpt-4o', 100),
  row(2 * 1440, 'embed-api', 50, '200', 'embed', 5),
  row(3 * 1440, 'chat-api', 300, '500', 'gpt-4o', 80),
];

function engine(): KqlEngine {
  const e = new KqlEngine({ now: () => NOW });
  e.loadRows(APP_REQUESTS, ROWS);
  return e;
}
const at = (hhmm: string): string => `2026-01-07T${hhmm}:00Z`;

describe('seed queries', () => {
  const files = readdirSync(KQL_DIR).filter((f) => f.endsWith('.kql'));

  it('has the six seed queries', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s starts with declare and has zero diagnostics in Microsoft’s parser', (file) => {
    const text = readFileSync(`${KQL_DIR}${file}`, 'utf8');
    expect(text.startsWith('declare query_parameters(')).toBe(true);
    expect(kustoDiagnostics(text)).toEqual([]);
    expect(kustoDiagnostics(bindParameters(text, {}))).toEqual([]);
  });

  it('slow-requests: count, avg, P95, P99 of requests over the SLO per 15 min and role', () => {
    const r = engine().run(read('slow-requests'));
    expect(r.columns.map((c) => c.name)).toEqual([
      'TimeGenerated',
      'AppRoleName',
      'SlowCount',
      'AvgMs',
      'P95Ms',
      'P99Ms',
    ]);
    expect(r.rows).toEqual([
      [at('23:15'), 'embed-api', 1, 4000, 4000, 4000],
      [at('23:30'), 'chat-api', 1, 3000, 3000, 3000],
      // 2500 and 2001: avg 2250.5; nearest rank ceil(0.95 × 2) = 2 → 2500.
      [at('23:45'), 'chat-api', 2, 2250.5, 2500, 2500],
    ]);
  });

  it('throttle-rate: 429 share per bucket and role, optionally for one deployment', () => {
    const e = engine();
    expect(e.run(read('throttle-rate')).rows).toEqual([
      [at('23:15'), 'embed-api', 1, 0, 0],
      [at('23:30'), 'chat-api', 1, 1, 100],
      [at('23:30'), 'embed-api', 1, 0, 0],
      [at('23:45'), 'chat-api', 3, 0, 0],
    ]);
    const bound = bindParameters(read('throttle-rate'), { deployment: 'gpt-4o' });
    expect(e.run(bound).rows).toEqual([
      [at('23:30'), 'chat-api', 1, 1, 100],
      [at('23:45'), 'chat-api', 3, 0, 0],
    ]);
  });

  it('traffic-latency-errors: requests/min, avg latency and 5xx rate per 5 min', () => {
    const r = engine().run(read('traffic-latency-errors'));
    expect(r.columns.map((c) => c.name)).toEqual([
      'TimeGenerated',
      'Requests',
      'AvgMs',
      'Errors5xx',
      'RequestsPerMin',
      'ErrorRate5xx',
    ]);
    expect(r.rows).toEqual([
      [at('23:20'), 1, 4000, 1, 0.2, 100],
      [at('23:40'), 2, 1520, 0, 0.4, 0],
      [at('23:45'), 1, 2001, 0, 0.2, 0],
      [at('23:50'), 2, 1300, 0, 0.4, 0],
    ]);
  });

  it('token-usage: tokens per deployment; avg ignores requests without a token count', () => {
    expect(engine().run(read('token-usage')).rows).toEqual([
      ['gpt-4o', 4, 320, 106.7],
      ['embed', 2, 30, 15],
    ]);
  });

  it('error-spike: last hour against the 7-day baseline, ratio above 2', () => {
    // chat: 1/4 = 25 % vs 1/2 = 50 % → 0.5 (no spike); embed: 1/2 = 50 % vs 0/1 floored at 0.1 % → 500.
    expect(engine().run(read('error-spike')).rows).toEqual([['embed-api', 2, 1, 50, 0, 500]]);
  });

  it('latency-distribution: nearest-rank P50..P99 and max per role', () => {
    const r = engine().run(read('latency-distribution'));
    expect(r.columns.map((c) => c.name)).toEqual([
      'AppRoleName',
      'Requests',
      'P50',
      'P75',
      'P90',
      'P95',
      'P99',
      'MaxMs',
    ]);
    // chat sorted: 100, 2001, 2500, 3000 → ranks ceil(p × 4): 2, 3, 4, 4, 4. embed: 40, 4000 → 1, 2, 2, 2, 2.
    expect(r.rows).toEqual([
      ['embed-api', 2, 40, 4000, 4000, 4000, 4000, 4000],
      ['chat-api', 4, 2001, 2500, 3000, 3000, 3000, 3000],
    ]);
  });
});
