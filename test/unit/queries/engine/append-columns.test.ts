import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../../core/clock.ts';
import { bindParameters } from '../../../../queries/bind-parameters.ts';
import { KQL_CATALOG } from '../../../../queries/catalog.ts';
import { buildColumn } from '../../../../queries/engine/build-column.ts';
import { readCell } from '../../../../queries/engine/column.ts';
import { concatColumns } from '../../../../queries/engine/concat-column.ts';
import { KqlEngine } from '../../../../queries/engine/engine.ts';
import { PACK_THRESHOLD } from '../../../../queries/engine/string-dict.ts';
import { SimulatedTelemetry } from '../../../../sim/telemetry/telemetry.ts';

const cells = (values: unknown[], type: Parameters<typeof buildColumn>[0], more: unknown[]) => {
  const joined = concatColumns(buildColumn(type, values), buildColumn(type, more));
  if (!joined) return null;
  return Array.from({ length: values.length + more.length }, (_, i) => readCell(joined, i));
};

describe('appending rows to a column', () => {
  it('keeps every value of both parts, nulls included, and widens long to real', () => {
    expect(cells([1, null, 3], 'long', [4, 5])).toEqual([1, null, 3, 4, 5]);
    expect(cells([true, null], 'bool', [false])).toEqual([true, null, false]);
    expect(cells(['a', 'b'], 'string', ['b', 'c', 'a'])).toEqual(['a', 'b', 'b', 'c', 'a']);
    const widened = concatColumns(buildColumn('dynamic', [{ n: 1 }]), buildColumn('dynamic', [{ n: 1.5 }]));
    expect([readCell(widened!, 0), readCell(widened!, 1)]).toEqual([{ n: 1 }, { n: 1.5 }]);
  });

  it('maps the new part into one dictionary, each string once, also when it is packed', () => {
    const many = Array.from({ length: PACK_THRESHOLD + 10 }, (_, i) => `id-${i}`);
    const joined = concatColumns(buildColumn('string', many), buildColumn('string', ['id-3', 'new', 'id-3']));
    expect(joined?.kind).toBe('str');
    if (joined?.kind !== 'str') return;
    expect(joined.dict.length).toBe(many.length + 1);
    const n = many.length;
    expect([readCell(joined, n), readCell(joined, n + 1), readCell(joined, n + 2)]).toEqual([
      'id-3',
      'new',
      'id-3',
    ]);
    expect(joined.codes[n]).toBe(joined.codes[3]);
  });

  it('joins property bags whose keys differ, and refuses storage it cannot join', () => {
    expect(cells([{ a: 'x' }, null], 'dynamic', [{ b: 2 }])).toEqual([{ a: 'x' }, null, { b: 2 }]);
    expect(cells([{ a: 'x' }], 'dynamic', [{ a: 7 }])).toBeNull();
  });

  it('never changes rows an older view already shows', () => {
    const first = buildColumn('long', [1, 2]);
    const grown = concatColumns(first, buildColumn('long', [3]))!;
    const once = concatColumns(grown, buildColumn('long', [4]))!;
    const again = concatColumns(grown, buildColumn('long', [9]))!;
    expect([readCell(once, 3), readCell(again, 3), readCell(grown, 2)]).toEqual([4, 9, 3]);
  });
});

describe('simulated telemetry gaining minutes', () => {
  it('answers every vetted query as tables built at once from the same minutes do', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 30));
    const live = new SimulatedTelemetry({ clock, historyMs: 6 * 3_600_000 });
    live.refresh();
    const appends = vi.spyOn(live.engine, 'appendColumns');
    for (let m = 0; m < 5; m++) {
      clock.advance(60_000);
      live.refresh();
    }
    const fresh = new SimulatedTelemetry({
      clock,
      historyMs: 6 * 3_600_000 + 5 * 60_000,
      startMs: live.startMs,
    });
    fresh.refresh();
    expect(live.requestCount()).toBe(fresh.requestCount());
    // Each minute's rows were appended, not the tables rebuilt from the whole history.
    expect(appends.mock.results.length).toBeGreaterThanOrEqual(5);
    expect(appends.mock.results.every((r) => r.value === true)).toBe(true);
    for (const q of KQL_CATALOG.values()) {
      const text = bindParameters(q.text, {});
      expect(live.engine.run(text), q.id).toEqual(fresh.engine.run(text));
    }
  });

  it('still builds a table whole when its new rows cannot be appended', () => {
    const engine = new KqlEngine({ now: () => 0 });
    engine.addTable('T', [{ name: 'v', col: buildColumn('long', [1]) }]);
    expect(engine.appendColumns('T', [{ name: 'v', col: buildColumn('string', ['x']) }])).toBe(false);
    expect(engine.appendColumns('Missing', [{ name: 'v', col: buildColumn('long', [1]) }])).toBe(false);
    expect(engine.run('T | count').rows).toEqual([[1]]);
    expect(engine.appendColumns('T', [{ name: 'v', col: buildColumn('long', [2]) }])).toBe(true);
    expect(engine.run('T | summarize sum(v)').rows).toEqual([[3]]);
  });
});
