import { describe, expect, it } from 'vitest';
import { bindParameters } from '../../../queries/bind-parameters.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { KqlEngine } from '../../../queries/engine/engine.ts';
import { APP_REQUESTS } from '../../../queries/engine/table-schemas.ts';
import type { QueryResult } from '../../../queries/engine/types.ts';
import {
  emptyRequestColumns,
  generateMinute,
  type RequestColumns,
} from '../../../sim/telemetry/generate-requests.ts';
import { MINUTE, ROLES } from '../../../sim/telemetry/profile.ts';
import { loadColumns } from '../../../sim/telemetry/telemetry.ts';

const NOW = Date.UTC(2026, 10, 2, 12, 0, 0);
const START = NOW - 5 * MINUTE;

/** Two hours of simulated telemetry as Application Insights keeps it: sampled, ItemCount > 1. */
function sampledRows(): RequestColumns {
  const out = emptyRequestColumns();
  for (let m = NOW - 120 * MINUTE; m < NOW; m += MINUTE)
    generateMinute(out, m, START, { requestsPerMinute: 1000 });
  return out;
}

/** The same requests unsampled: every row repeated ItemCount times, each copy standing for one. */
function expand(sampled: RequestColumns): RequestColumns {
  const out = emptyRequestColumns();
  const keys = Object.keys(out) as (keyof RequestColumns)[];
  for (let i = 0; i < sampled.TimeGenerated.length; i++) {
    for (let k = 0; k < sampled.ItemCount[i]!; k++) {
      for (const key of keys) (out[key] as unknown[]).push(key === 'ItemCount' ? 1 : sampled[key][i]);
    }
  }
  return out;
}

function engineOver(rows: RequestColumns): KqlEngine {
  const engine = new KqlEngine({ now: () => NOW });
  loadColumns(engine, APP_REQUESTS, rows as unknown as Record<string, unknown[]>);
  return engine;
}

const sampled = sampledRows();
const full = expand(sampled);
const sampledEngine = engineOver(sampled);
const fullEngine = engineOver(full);

/** Percentiles are taken over the sampled rows (documented in each query); everything else must match. */
const PERCENTILE = /^P\d+(Ms)?$/;

function comparable(result: QueryResult): { columns: string[]; rows: unknown[][] } {
  const keep = result.columns.map((c, i) => (PERCENTILE.test(c.name) ? -1 : i)).filter((i) => i >= 0);
  return {
    columns: keep.map((i) => result.columns[i]!.name),
    rows: result.rows.map((r) => keep.map((i) => r[i])),
  };
}

/**
 * The detectors' queries count sampled rows on purpose: a rate test needs the number of
 * observations (judged answers, flagged requests), which ItemCount-weighted sums would inflate
 * (documented in each query). Every other query over AppRequests counts requests.
 */
const OBSERVATION_QUERIES = new Set(['model-quality', 'response-length', 'jailbreak-rate']);
// Queries that join AppRequests with another table (spans, rollout logs) are left out: the full
// engine here holds AppRequests only.
const requestQueries = [...KQL_CATALOG.values()].filter(
  (q) =>
    /\bAppRequests\b/.test(q.text) &&
    !/\b(AppDependencies|AppTraces)\b/.test(q.text) &&
    !OBSERVATION_QUERIES.has(q.id),
);

describe('request counts on sampled telemetry', () => {
  it('the simulator emits sampled rows whose mix differs from the requests’ mix', () => {
    expect(new Set(sampled.ItemCount)).toEqual(new Set(ROLES.map((r) => r.itemCount)));
    expect(Math.min(...sampled.ItemCount)).toBeGreaterThan(1);
    const byRole = sampledEngine.run(
      'AppRequests | summarize Rows = count(), Requests = sum(ItemCount) by AppRoleName | where AppRoleName == "batch-api"',
    );
    const [, rows, requests] = byRole.rows[0] as [string, number, number];
    // batch-api is ~5% of requests but, sampled least, about a quarter of the rows.
    expect(rows / sampled.TimeGenerated.length).toBeGreaterThan(0.15);
    expect(requests / full.TimeGenerated.length).toBeLessThan(0.08);
    expect(full.TimeGenerated.length).toBeGreaterThan(100_000);
  });

  it.each(requestQueries.map((q) => [q.id, q] as const))(
    '%s gives the same totals and rates on sampled rows as on every request',
    (_, q) => {
      const text = bindParameters(q.text, {});
      const a = comparable(sampledEngine.run(text));
      const b = comparable(fullEngine.run(text));
      expect(a.columns).toEqual(b.columns);
      expect(a.rows.length).toBe(b.rows.length);
      const types = q.columns.filter((c) => !PERCENTILE.test(c.name)).map((c) => c.type);
      for (const [r, row] of a.rows.entries()) {
        for (const [c, cell] of row.entries()) {
          const other = b.rows[r]![c];
          // Whole-number columns (counts, tokens) are exact; rounded reals may differ in the last digit.
          if (types[c] === 'real' && typeof cell === 'number')
            expect(Math.abs(cell - (other as number)), `${q.id} ${a.columns[c]}`).toBeLessThanOrEqual(
              0.100001,
            );
          else expect(cell, `${q.id} ${a.columns[c]} row ${r}`).toEqual(other);
        }
      }
    },
  );

  it('counting rows instead of requests would be visibly wrong', () => {
    const text = bindParameters(KQL_CATALOG.get('traffic-latency-errors')!.text, {
      window: '1h',
      bucket: '1h',
    });
    const requests = sampledEngine.run(text).rows.reduce((s, r) => s + (r[1] as number), 0);
    const naive = sampledEngine.run(
      'AppRequests | where TimeGenerated > ago(1h) | summarize Requests = count() by bin(TimeGenerated, 1h)',
    );
    const rowCount = naive.rows.reduce((s, r) => s + (r[1] as number), 0);
    expect(requests).toBe(
      fullEngine.run('AppRequests | where TimeGenerated > ago(1h) | count').rows[0]![0] as number,
    );
    expect(requests / rowCount).toBeGreaterThan(20);
  });
});
