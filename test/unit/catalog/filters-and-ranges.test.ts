import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ManualClock } from '../../../core/clock.ts';
import { prepareRun } from '../../../queries/backends/logs-backend.ts';
import { bindParameters, findDeclaration } from '../../../queries/bind-parameters.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { checkRange, maxSpanOf, SUBJECT_FILTERS } from '../../../queries/params.ts';
import { SimulatedTelemetry } from '../../../sim/telemetry/telemetry.ts';
import { HOSTILE } from '../../fixtures/hostile-text.ts';
import { kustoDiagnostics } from '../queries/kusto-language.ts';

const queries = [...KQL_CATALOG.values()];
const clock = new ManualClock();
const telemetry = new SimulatedTelemetry({ clock, historyMs: 2 * 86_400_000 });
telemetry.refresh();
const now = clock.now();
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const HOUR = 3_600_000;

/** Every filter a query declares, set to a value that exists in the simulated telemetry. */
function everyFilter(q: (typeof queries)[number]): Record<string, string> {
  const values: Record<string, string> = {
    deployment: 'gpt-4o',
    model_version: '2024-08-06',
    app_role: 'chat-api',
    operation: 'POST /chat',
    team: 'support',
  };
  const shape = q.params.shape as Record<string, z.ZodType>;
  return Object.fromEntries(
    Object.entries(values).filter(
      ([k]) => (k in shape && q.id !== 'model-version-comparison') || (k !== 'deployment' && k in shape),
    ),
  );
}

function run(id: string, raw: Record<string, unknown>) {
  const { text } = prepareRun(KQL_CATALOG, id, raw);
  return { text, result: telemetry.engine.run(text) };
}

function column(result: { columns: { name: string }[]; rows: unknown[][] }, name: string): unknown[] {
  const i = result.columns.findIndex((c) => c.name === name);
  return result.rows.map((r) => r[i]);
}

describe('every vetted query takes an absolute range and its subject filters', () => {
  it.each(queries.map((q) => [q.id, q] as const))('%s declares start and end datetimes', (_, q) => {
    const declared = new Map(findDeclaration(q.text).params.map((p) => [p.name, p.type]));
    expect(declared.get('start')).toBe('datetime');
    expect(declared.get('end')).toBe('datetime');
    expect(maxSpanOf(q.params)).toBeGreaterThanOrEqual(86_400_000);
  });

  it.each(queries.map((q) => [q.id, q] as const))(
    '%s with every filter and an absolute range: zero diagnostics, runs in the local engine',
    (_, q) => {
      const raw = { ...everyFilter(q), start: iso(now - 3 * HOUR), end: iso(now - HOUR) };
      const { text } = prepareRun(KQL_CATALOG, q.id, raw);
      expect(text).toContain(`let start = datetime(${iso(now - 3 * HOUR)});`);
      expect(text).toContain(`let end = datetime(${iso(now - HOUR)});`);
      expect(kustoDiagnostics(text)).toEqual([]);
      const result = telemetry.engine.run(text);
      expect(result.columns.map((c) => c.name)).toEqual(q.columns.map((c) => c.name));
    },
  );

  it('queries over AppRequests filter on deployment, model version, app role, operation and team', () => {
    // A model version is the subject of the version comparison and of the rollouts (the versions
    // change at the rollout), not a filter on them.
    const appRequests = queries.filter(
      (q) =>
        /\bAppRequests\b/.test(q.text) &&
        q.id !== 'model-version-comparison' &&
        q.id !== 'deployment-latency-change',
    );
    expect(appRequests.length).toBeGreaterThanOrEqual(14);
    for (const q of appRequests)
      for (const f of SUBJECT_FILTERS) expect(Object.keys(q.params.shape), `${q.id}.${f}`).toContain(f);
  });
});

describe('subject filters', () => {
  it('renders a filter as a string literal, never spliced text', () => {
    const q = KQL_CATALOG.get('throttle-rate')!;
    const hostile = 'x" or 1==1 | take 1 //';
    expect(q.params.safeParse({ app_role: hostile }).success).toBe(false);
    expect(q.params.safeParse({ operation: 'POST /chat"; drop' }).success).toBe(false);
    for (const text of HOSTILE) expect(q.params.safeParse({ team: text }).success, text).toBe(false);
    const bound = bindParameters(q.text, { operation: 'POST /chat' });
    expect(bound).toContain('let operation = "POST /chat";');
  });

  it('an app role filter keeps only that role; empty (or *) means all', () => {
    const all = column(run('throttle-rate', { window: '2h' }).result, 'AppRoleName');
    expect(new Set(all).size).toBeGreaterThan(1);
    expect(
      new Set(column(run('throttle-rate', { window: '2h', app_role: '*' }).result, 'AppRoleName')),
    ).toEqual(new Set(all));
    const one = column(run('throttle-rate', { window: '2h', app_role: 'rag-api' }).result, 'AppRoleName');
    expect(one.length).toBeGreaterThan(0);
    expect(new Set(one)).toEqual(new Set(['rag-api']));
  });

  it("a team filter keeps only that team's spend; a deployment filter only that deployment's tokens", () => {
    expect(column(run('cost-per-team', { team: 'search' }).result, 'Team')).toEqual(['search']);
    expect(column(run('token-usage', { deployment: 'o3-mini' }).result, 'Deployment')).toEqual(['o3-mini']);
    expect(column(run('token-usage', { model_version: '2025-01-31' }).result, 'Deployment')).toEqual([
      'o3-mini',
    ]);
    expect(
      column(
        run('top-failing-operations', { window: '1d', operation: 'POST /embed', limit: 50 }).result,
        'OperationName',
      ).every((o) => o === 'POST /embed'),
    ).toBe(true);
  });
});

describe('absolute ranges', () => {
  it('counts only the rows between start and end, whatever the window says', () => {
    const start = now - 5 * HOUR;
    const end = now - 3 * HOUR;
    const ranged = run('throttle-rate', {
      start: iso(start),
      end: iso(end),
      bucket: '1h',
      window: '5m',
    }).result;
    const times = column(ranged, 'TimeGenerated').map((t) => Date.parse(String(t)));
    expect(times.length).toBeGreaterThan(0);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(start - HOUR);
    expect(Math.max(...times)).toBeLessThan(end);
    const total = (r: typeof ranged) => column(r, 'Total').reduce<number>((s, v) => s + Number(v), 0);
    const wider = run('throttle-rate', { start: iso(start), end: iso(now), bucket: '1h' }).result;
    expect(total(wider)).toBeGreaterThan(total(ranged));
  });

  it('a range shows the same evidence whenever it runs (relative windows move with the clock)', () => {
    const raw = { start: iso(now - 2 * HOUR), end: iso(now - HOUR) };
    const before = run('token-usage', raw).result;
    const relativeBefore = run('token-usage', { window: '1h' }).result;
    clock.advance(20 * 60_000);
    telemetry.refresh();
    expect(run('token-usage', raw).result).toEqual(before);
    expect(run('token-usage', { window: '1h' }).result).not.toEqual(relativeBefore);
  });

  it('takes ISO text with a zone, a date, epoch ms or a Date; refuses text without a zone', () => {
    const q = KQL_CATALOG.get('token-usage')!;
    const parse = (v: unknown) => (q.params.parse({ start: v }) as { start: string }).start;
    expect(parse('2026-11-27T10:00:00+01:00')).toBe('2026-11-27T09:00:00Z');
    expect(parse('2026-11-27')).toBe('2026-11-27T00:00:00Z');
    expect(parse(Date.UTC(2026, 10, 27, 9))).toBe('2026-11-27T09:00:00Z');
    expect(parse(new Date(Date.UTC(2026, 10, 27, 9)))).toBe('2026-11-27T09:00:00Z');
    expect(q.params.safeParse({ start: '2026-11-27T10:00' }).success).toBe(false);
    expect(q.params.safeParse({ start: 'yesterday' }).success).toBe(false);
  });

  it('is bounded per query: a month of cost is allowed, a month of 15-minute throttle buckets is not', () => {
    const at = Date.UTC(2026, 11, 1);
    const month = { start: iso(at - 30 * 86_400_000), end: iso(at) };
    expect(checkRange(month, maxSpanOf(KQL_CATALOG.get('cost-per-team')!.params)!, at)).toBeUndefined();
    expect(checkRange(month, maxSpanOf(KQL_CATALOG.get('throttle-rate')!.params)!, at)).toMatch(/more than/);
    expect(checkRange({ start: iso(at), end: iso(at - HOUR) }, 86_400_000, at)).toMatch(/before it starts/);
    expect(checkRange({ end: iso(at) }, 86_400_000, at)).toMatch(/needs a start/);
    expect(KQL_CATALOG.get('cost-per-team')!.params.safeParse({ window: '30d' }).success).toBe(true);
  });
});
