/**
 * Local KQL engine vs DuckDB on the six seed queries over generated AppRequests rows (7 days).
 * Run: `npx tsx bench/kql-engine.ts [--rows 10000000] [--runs 5]`. Prints ms per query for both,
 * the ratio (targets: ≤ 2× DuckDB and < 1 s) and the engine's memory for the table (< 2.5 GB).
 * DuckDB gets the same generated values, with Properties pre-flattened into Deployment/Tokens
 * columns (the engine shreds them the same way internally). Rows are sampled per app role (ItemCount
 * 10–100, as in the simulator) and both sides count requests with sum(ItemCount).
 */
import { readFileSync } from 'node:fs';
import {
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
} from '@duckdb/node-api';
import { bindParameters, type ParamValue } from '../queries/bind-parameters.ts';
import type { Column, NumColumn, StrColumn } from '../queries/engine/column.ts';
import { KqlEngine } from '../queries/engine/engine.ts';
import { type Dict, dictToArray } from '../queries/engine/string-dict.ts';
import { ROLES } from '../sim/telemetry/profile.ts';
import { generateAppRequests } from './kql-data.ts';

const argValue = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = argValue('rows', 10_000_000);
const RUNS = argValue('runs', 5);
const MB = 1024 * 1024;

interface BenchQuery {
  id: string;
  params: Record<string, ParamValue>;
  sql: (nowSql: string) => string;
}

const since = (nowSql: string, interval: string): string =>
  `TimeGenerated > ${nowSql} - INTERVAL ${interval}`;
const QUERIES: BenchQuery[] = [
  {
    id: 'slow-requests',
    params: { window: '7d' },
    sql: (
      now,
    ) => `SELECT time_bucket(INTERVAL 15 minutes, TimeGenerated) AS TimeGenerated, AppRoleName, sum(ItemCount) AS SlowCount,
      round(sum(DurationMs * ItemCount) / sum(ItemCount), 1) AS AvgMs, quantile_disc(DurationMs, 0.95) AS P95Ms, quantile_disc(DurationMs, 0.99) AS P99Ms
      FROM AppRequests WHERE ${since(now, '7 days')} AND DurationMs > 2000 GROUP BY ALL ORDER BY 1, 2`,
  },
  {
    id: 'throttle-rate',
    params: { window: '7d' },
    sql: (now) => `SELECT *, round(100.0 * Throttled / Total, 2) AS ThrottleRate FROM (
      SELECT time_bucket(INTERVAL 15 minutes, TimeGenerated) AS TimeGenerated, AppRoleName, sum(ItemCount) AS Total,
      sum(CASE WHEN ResultCode = '429' THEN ItemCount ELSE 0 END) AS Throttled FROM AppRequests WHERE ${since(now, '7 days')} GROUP BY ALL) ORDER BY 1, 2`,
  },
  {
    id: 'traffic-latency-errors',
    params: { window: '7d' },
    sql: (
      now,
    ) => `SELECT *, round(Requests / 5.0, 2) AS RequestsPerMin, round(100.0 * Errors5xx / Requests, 2) AS ErrorRate5xx FROM (
      SELECT time_bucket(INTERVAL 5 minutes, TimeGenerated) AS TimeGenerated, sum(ItemCount) AS Requests,
      round(sum(DurationMs * ItemCount) / sum(ItemCount), 1) AS AvgMs,
      sum(CASE WHEN starts_with(ResultCode, '5') THEN ItemCount ELSE 0 END) AS Errors5xx FROM AppRequests WHERE ${since(now, '7 days')} GROUP BY ALL) ORDER BY 1`,
  },
  {
    id: 'token-usage',
    params: { window: '7d' },
    sql: (now) => `SELECT Deployment, sum(ItemCount) AS Requests, sum(Tokens * ItemCount) AS TotalTokens,
      round(1.0 * sum(Tokens * ItemCount) / sum(CASE WHEN Tokens IS NOT NULL THEN ItemCount ELSE 0 END), 1) AS AvgTokens
      FROM AppRequests WHERE ${since(now, '7 days')} AND Deployment <> '' GROUP BY ALL ORDER BY TotalTokens DESC`,
  },
  {
    id: 'error-spike',
    params: {},
    sql: (
      now,
    ) => `WITH r AS (SELECT AppRoleName, sum(ItemCount) AS RecentTotal, sum(CASE WHEN NOT Success THEN ItemCount ELSE 0 END) AS RecentErrors FROM AppRequests
        WHERE ${since(now, '1 hour')} GROUP BY ALL),
      b AS (SELECT AppRoleName, sum(ItemCount) AS BaselineTotal,
        sum(CASE WHEN NOT Success THEN ItemCount ELSE 0 END) AS BaselineErrors FROM AppRequests
        WHERE TimeGenerated BETWEEN ${now} - INTERVAL 7 days AND ${now} - INTERVAL 1 hour GROUP BY ALL),
      j AS (SELECT r.*, b.BaselineTotal, b.BaselineErrors, 100.0 * RecentErrors / RecentTotal AS RecentRate,
        100.0 * BaselineErrors / BaselineTotal AS BaselineRate FROM r JOIN b USING (AppRoleName))
      SELECT AppRoleName, RecentTotal, RecentErrors, round(RecentRate, 2), round(BaselineRate, 2),
        round(RecentRate / greatest(BaselineRate, 0.1), 2) AS SpikeRatio FROM j
      WHERE RecentRate / greatest(BaselineRate, 0.1) > 2 ORDER BY SpikeRatio DESC`,
  },
  {
    id: 'latency-distribution',
    params: { window: '7d' },
    sql: (
      now,
    ) => `SELECT AppRoleName, sum(ItemCount) AS Requests, quantile_disc(DurationMs, [0.5, 0.75, 0.9, 0.95, 0.99]) AS P,
      max(DurationMs) AS MaxMs FROM AppRequests WHERE ${since(now, '7 days')} GROUP BY ALL ORDER BY P[4] DESC`,
  },
];

/**
 * Makes the rows sampled telemetry, as the simulator's are: each row stands for its app role's
 * ItemCount requests (fixed-rate sampling per service), so the queries' sum(ItemCount) matters.
 */
function sampleByRole(columns: { name: string; col: Column }[]): void {
  const role = columns.find((c) => c.name === 'AppRoleName')!.col as StrColumn;
  const perCode = dictToArray(role.dict).map((name) => ROLES.find((r) => r.name === name)?.itemCount ?? 1);
  const values = new Float64Array(role.codes.length);
  for (let i = 0; i < values.length; i++) values[i] = perCode[role.codes[i]!] ?? 1;
  const at = columns.findIndex((c) => c.name === 'ItemCount');
  columns[at] = { name: 'ItemCount', col: { kind: 'num', type: 'int', values, nulls: null } };
}

function memory(): NodeJS.MemoryUsage {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

async function loadDuckDb(conn: DuckDBConnection, cols: Map<string, unknown>, n: number): Promise<void> {
  await conn.run(
    'CREATE TABLE raw (ts DOUBLE, dur DOUBLE, code INTEGER, role INTEGER, dep INTEGER, tokens DOUBLE, ok BOOLEAN, items DOUBLE)',
  );
  const appender = await conn.createAppender('raw');
  const time = cols.get('TimeGenerated') as NumColumn;
  const dur = cols.get('DurationMs') as NumColumn;
  const code = cols.get('ResultCode') as StrColumn;
  const role = cols.get('AppRoleName') as StrColumn;
  const dep = cols.get('deployment') as StrColumn;
  const tokens = cols.get('tokens.total') as NumColumn;
  const ok = cols.get('Success') as { values: Uint8Array };
  const items = cols.get('ItemCount') as NumColumn;
  const CH = 2048;
  for (let off = 0; off < n; off += CH) {
    const m = Math.min(CH, n - off);
    const chunk = DuckDBDataChunk.create(
      [DOUBLE, DOUBLE, INTEGER, INTEGER, INTEGER, DOUBLE, BOOLEAN, DOUBLE],
      m,
    );
    const put = (k: number, src: Float64Array | Int32Array): void => {
      const v = chunk.getColumnVector(k) as unknown as { items: Float64Array | Int32Array; flush(): void };
      v.items.set(src.subarray(off, off + m));
      v.flush();
    };
    put(0, time.values);
    put(1, dur.values);
    put(2, code.codes);
    put(3, role.codes);
    put(4, dep.codes);
    put(7, items.values);
    const tv = chunk.getColumnVector(5) as unknown as {
      setItem(i: number, x: number | null): void;
      flush(): void;
    };
    for (let i = 0; i < m; i++) tv.setItem(i, tokens.nulls?.[off + i] === 1 ? null : tokens.values[off + i]!);
    tv.flush();
    const bv = chunk.getColumnVector(6) as unknown as { setItem(i: number, x: boolean): void; flush(): void };
    for (let i = 0; i < m; i++) bv.setItem(i, ok.values[off + i] === 1);
    bv.flush();
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  const list = (d: Dict): string =>
    `[${dictToArray(d)
      .map((s) => `'${s.replaceAll("'", "''")}'`)
      .join(', ')}]`;
  await conn.run(`CREATE TABLE AppRequests AS SELECT make_timestamp(CAST(ts * 1000 AS BIGINT)) AS TimeGenerated,
    dur AS DurationMs, ${list(code.dict)}[code + 1] AS ResultCode, ${list(role.dict)}[role + 1] AS AppRoleName,
    ${list(dep.dict)}[dep + 1] AS Deployment, CAST(tokens AS BIGINT) AS Tokens, ok AS Success, CAST(items AS INTEGER) AS ItemCount FROM raw`);
  await conn.run('DROP TABLE raw');
}

/** Numeric cells of a row, flattened (DuckDB lists and bigints included), for a cross-check. */
function numbersOf(row: readonly unknown[]): number[] {
  const out: number[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'number') out.push(v);
    else if (typeof v === 'bigint') out.push(Number(v));
    else if (v && typeof v === 'object' && 'items' in v && Array.isArray(v.items)) v.items.forEach(visit);
  };
  row.forEach(visit);
  return out;
}

/** Share of rows whose numbers agree within 0.5 % (percentile definitions may differ by a rank). */
function compareNumbers(engineRows: unknown[][], duckRows: readonly (readonly unknown[])[]): string {
  let same = 0;
  const total = Math.min(engineRows.length, duckRows.length);
  for (let r = 0; r < total; r++) {
    const a = numbersOf(engineRows[r]!);
    const b = numbersOf(duckRows[r]!);
    if (a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= 0.005 * Math.max(1, Math.abs(x))))
      same++;
  }
  return `${same}/${total}`;
}

async function time<T>(f: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  let best = Number.POSITIVE_INFINITY;
  let result!: T;
  for (let r = 0; r < RUNS + 1; r++) {
    const t0 = performance.now();
    result = await f();
    const ms = performance.now() - t0;
    if (r > 0 || RUNS === 0) best = Math.min(best, ms);
  }
  return { ms: best, result };
}

async function main(): Promise<void> {
  console.log(`Generating ${ROWS.toLocaleString('en')} AppRequests rows over 7 days ...`);
  const before = memory();
  const t0 = performance.now();
  const data = generateAppRequests(ROWS);
  sampleByRole(data.columns);
  const engine = new KqlEngine({ now: () => data.now });
  engine.addTable('AppRequests', data.columns);
  const genMs = performance.now() - t0;
  const after = memory();
  console.log(`generated + loaded into the engine in ${(genMs / 1000).toFixed(1)} s`);
  const byName = new Map<string, unknown>(data.columns.map((c) => [c.name, c.col]));
  const props = byName.get('Properties') as { fields: Map<string, unknown> };
  for (const [k, v] of props.fields) byName.set(k, v);
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const nowSql = `TIMESTAMP '${new Date(data.now).toISOString().replace('T', ' ').replace('Z', '')}'`;
  const t1 = performance.now();
  await loadDuckDb(conn, byName, ROWS);
  console.log(`loaded into DuckDB in ${((performance.now() - t1) / 1000).toFixed(1)} s\n`);
  const lines: string[][] = [
    ['query', 'engine ms', 'duckdb ms', 'ratio', 'rows (engine/duckdb)', 'numbers agree', 'targets'],
  ];
  for (const q of QUERIES) {
    const text = bindParameters(
      readFileSync(new URL(`../queries/kql/${q.id}.kql`, import.meta.url), 'utf8'),
      q.params,
    );
    const e = await time(() => engine.run(text));
    const d = await time(async () => (await conn.runAndReadAll(q.sql(nowSql))).getRows());
    const ratio = e.ms / d.ms;
    const ok = ratio <= 2 && e.ms < 1000 ? 'ok' : 'MISSED';
    lines.push([
      q.id,
      e.ms.toFixed(1),
      d.ms.toFixed(1),
      ratio.toFixed(2),
      `${e.result.rows.length}/${d.result.length}`,
      compareNumbers(e.result.rows, d.result),
      ok,
    ]);
  }
  const widths = lines[0]!.map((_, k) => Math.max(...lines.map((l) => l[k]!.length)));
  for (const l of lines)
    console.log(l.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  '));
  const rss = (after.rss - before.rss) / MB;
  const heap = (after.heapUsed - before.heapUsed) / MB;
  const buffers = (after.arrayBuffers - before.arrayBuffers) / MB;
  console.log(
    `\nengine memory for ${ROWS.toLocaleString('en')} rows: RSS +${rss.toFixed(0)} MB, heap +${heap.toFixed(0)} MB, ` +
      `array buffers +${buffers.toFixed(0)} MB (target < 2560 MB)${(globalThis as { gc?: unknown }).gc ? '' : ' [run with --expose-gc for exact figures]'}`,
  );
  const maxRss = process.resourceUsage().maxRSS / 1024;
  console.log(`process peak RSS (engine + DuckDB + generator): ${maxRss.toFixed(0)} MB`);
  conn.closeSync();
}

await main();
