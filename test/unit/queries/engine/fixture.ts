import { KqlEngine } from '../../../../queries/engine/engine.ts';

/** Clock of the fixture table. */
export const NOW = Date.UTC(2026, 0, 2, 12);

/** A four-row table T covering nulls, empty strings, bools, datetimes and property bags. */
export function engine(): KqlEngine {
  const e = new KqlEngine({ now: () => NOW });
  e.loadRows(
    {
      name: 'T',
      columns: [
        { name: 'k', type: 'string' },
        { name: 'v', type: 'long' },
        { name: 'r', type: 'real' },
        { name: 'b', type: 'bool' },
        { name: 'ts', type: 'datetime' },
        { name: 'P', type: 'dynamic' },
      ],
    },
    [
      { k: 'a', v: 1, r: 1.5, b: true, ts: '2026-01-02T11:50:00Z', P: { dep: 'gpt-4o', n: 3 } },
      { k: 'a', v: null, r: null, b: null, ts: '2026-01-02T10:00:00Z', P: { dep: 'gpt-4o' } },
      { k: 'b', v: 5, r: 2.5, b: false, ts: '2026-01-01T12:00:00Z', P: { n: 7 } },
      { k: '', v: 10, r: 4, b: true, ts: null, P: null },
    ],
  );
  return e;
}
/** Rows of a query over the fixture table. */
export const rows = (q: string): unknown[][] => engine().run(q).rows;
