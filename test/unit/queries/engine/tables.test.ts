import { describe, expect, it } from 'vitest';
import { KqlEngine, KqlError } from '../../../../queries/engine/engine.ts';
import { APP_DEPENDENCIES, APP_REQUESTS, APP_TRACES } from '../../../../queries/engine/table-schemas.ts';
import { kustoDiagnostics } from '../kusto-language.ts';

const NOW = Date.UTC(2026, 0, 8);

describe('table schemas', () => {
  it('declare the Log Analytics columns of AppRequests, AppTraces and AppDependencies', () => {
    const names = (s: typeof APP_REQUESTS): string[] => s.columns.map((c) => c.name);
    expect(names(APP_REQUESTS)).toEqual(
      expect.arrayContaining([
        'TimeGenerated',
        'Id',
        'Success',
        'ResultCode',
        'DurationMs',
        'Properties',
        'ItemCount',
        '_BilledSize',
      ]),
    );
    expect(APP_REQUESTS.columns.find((c) => c.name === 'Success')?.type).toBe('bool');
    expect(APP_REQUESTS.columns.find((c) => c.name === 'ItemCount')?.type).toBe('int');
    expect(names(APP_TRACES)).toEqual(expect.arrayContaining(['Message', 'SeverityLevel', 'Properties']));
    expect(names(APP_DEPENDENCIES)).toEqual(
      expect.arrayContaining(['Target', 'DependencyType', 'Data', 'DurationMs']),
    );
  });

  it('are what Microsoft’s analyser sees, and the engine runs the same text', () => {
    const q = `AppTraces
| where SeverityLevel >= 3 and Message has "index"
| summarize LastRun = max(TimeGenerated) by Pipeline = tostring(Properties["pipeline"])
| extend Age = now() - LastRun`;
    expect(kustoDiagnostics(q)).toEqual([]);
    expect(kustoDiagnostics('AppTraces | where NoSuchColumn == 1').length).toBeGreaterThan(0);
    const e = new KqlEngine({ now: () => NOW });
    e.loadRows(APP_TRACES, [
      {
        TimeGenerated: NOW - 3_600_000,
        Message: 'rag index run ok',
        SeverityLevel: 3,
        Properties: { pipeline: 'docs' },
      },
      {
        TimeGenerated: NOW - 600_000,
        Message: 'rag index run ok',
        SeverityLevel: 3,
        Properties: { pipeline: 'docs' },
      },
      {
        TimeGenerated: NOW - 60_000,
        Message: 'reindexing',
        SeverityLevel: 3,
        Properties: { pipeline: 'faq' },
      },
    ]);
    expect(e.run(q).rows).toEqual([['docs', '2026-01-07T23:50:00Z', '00:10:00']]);
  });
});

describe('engine input handling', () => {
  it('packs large string dictionaries off-heap and still filters, groups and returns them', () => {
    const e = new KqlEngine({ now: () => NOW });
    const rows = Array.from({ length: 70_000 }, (_, i) => ({
      Id: `req-${i}`,
      AppRoleName: i % 2 ? 'a' : 'b',
      DurationMs: i,
    }));
    e.loadRows(APP_REQUESTS, rows);
    expect(e.run('AppRequests | where Id == "req-69999" | project Id, DurationMs').rows).toEqual([
      ['req-69999', 69999],
    ]);
    expect(
      e.run('AppRequests | summarize dcount(Id), n = count() by AppRoleName | order by AppRoleName asc').rows,
    ).toEqual([
      ['a', 35_000, 35_000],
      ['b', 35_000, 35_000],
    ]);
    expect(e.run('AppRequests | where Id startswith "req-6999" | count').rows).toEqual([[11]]);
  });

  it('binds declare query_parameters from run(text, params), defaults otherwise', () => {
    const e = new KqlEngine({ now: () => NOW });
    const q = 'declare query_parameters(n:long = 2, who:string);\nprint x = n * 10, y = who';
    expect(e.run(q, { who: 'me' }).rows).toEqual([[20, 'me']]);
    expect(e.run(q, { n: 5, who: '' }).rows).toEqual([[50, '']]);
    expect(() => e.run(q)).toThrowError(KqlError);
  });

  it('refuses aggregations with silently ignored arguments or meaningless types', () => {
    const e = new KqlEngine({ now: () => NOW });
    e.loadRows(APP_REQUESTS, [{ TimeGenerated: NOW, DurationMs: 1 }]);
    for (const q of [
      'AppRequests | summarize count(DurationMs)',
      'AppRequests | summarize make_list(DurationMs, 10)',
      'AppRequests | summarize sum(TimeGenerated)',
      'AppRequests | summarize stdev(DurationMs)',
      'AppRequests | project-rename X = Nope',
    ]) {
      expect(() => e.run(q), q).toThrowError(KqlError);
    }
  });
});
