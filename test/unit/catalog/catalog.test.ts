import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ManualClock } from '../../../core/clock.ts';
import { bindParameters, findDeclaration } from '../../../queries/bind-parameters.ts';
import { buildCatalog, KQL_CATALOG } from '../../../queries/catalog.ts';
import { SEED_QUERY_IDS } from '../../../queries/kql/kql-text.ts';
import { describeParam } from '../../../queries/params.ts';
import { SimulatedTelemetry } from '../../../sim/telemetry/telemetry.ts';
import { kustoDiagnostics } from '../queries/kusto-language.ts';
import { identifyingColumns, privacyViolations } from './privacy.ts';

const queries = [...KQL_CATALOG.values()];
const clock = new ManualClock();
const telemetry = new SimulatedTelemetry({ clock, historyMs: 2 * 86_400_000 });
telemetry.refresh();

describe('the vetted KQL catalog', () => {
  it('lists the six seed queries and the extra ones, each once', () => {
    for (const id of SEED_QUERY_IDS) expect(KQL_CATALOG.has(id)).toBe(true);
    expect(KQL_CATALOG.size).toBeGreaterThanOrEqual(12);
    expect(() => buildCatalog([queries[0]!, queries[1]!, queries[0]!])).toThrow(/listed twice/);
  });

  it.each(queries.map((q) => [q.id, q] as const))(
    '%s has zero diagnostics in Microsoft’s parser, as written and bound',
    (_, q) => {
      expect(q.text.startsWith('declare query_parameters(')).toBe(true);
      expect(kustoDiagnostics(q.text)).toEqual([]);
      const defaults = q.params.parse({}) as Record<string, string | number>;
      expect(kustoDiagnostics(bindParameters(q.text, defaults))).toEqual([]);
    },
  );

  it.each(queries.map((q) => [q.id, q] as const))(
    '%s declares exactly its zod parameters, with the same types',
    (_, q) => {
      const declared = findDeclaration(q.text).params.map((p) => [p.name, p.type]);
      const shape = q.params.shape as Record<string, z.ZodType>;
      const fromZod = Object.entries(shape).map(([name, s]) => [name, describeParam(s)?.kql]);
      expect(fromZod).toEqual(declared);
    },
  );

  it.each(queries.map((q) => [q.id, q] as const))(
    '%s: zod defaults give the same answer as the file’s own defaults',
    (_, q) => {
      const defaults = q.params.parse({}) as Record<string, string | number>;
      expect(telemetry.engine.run(bindParameters(q.text, defaults))).toEqual(
        telemetry.engine.run(bindParameters(q.text, {})),
      );
    },
  );

  it.each(queries.map((q) => [q.id, q] as const))(
    '%s returns the columns it declares, in the local engine',
    (_, q) => {
      const result = telemetry.engine.run(bindParameters(q.text, {}));
      expect(result.columns).toEqual(q.columns.map(({ name, type }) => ({ name, type })));
      if (q.show.kind === 'line') {
        const names = q.columns.map((c) => c.name);
        expect(q.columns.find((c) => c.name === (q.show as { x: string }).x)?.type).toBe('datetime');
        for (const y of q.show.y) expect(names).toContain(y);
      }
      if (q.show.kind === 'stat') expect(q.columns.map((c) => c.name)).toContain(q.show.column);
    },
  );

  it('holds the 37 queries of queries/kql/, each listed once', () => {
    const files = readdirSync(new URL('../../../queries/kql/', import.meta.url))
      .filter((f) => f.endsWith('.kql'))
      .map((f) => f.replace(/\.kql$/, ''))
      .sort();
    expect(files).toHaveLength(37);
    expect([...KQL_CATALOG.keys()].sort()).toEqual(files);
  });

  it.each(queries.map((q) => [q.id, q] as const))(
    '%s: every number has a unit, every real its decimals, and the headline compares a result column',
    (_, q) => {
      for (const c of q.columns) {
        if (['int', 'long', 'real'].includes(c.type)) expect(c.unit, `${c.name} unit`).toBeTruthy();
        if (c.type === 'real') expect(c.decimals, `${c.name} decimals`).toBeTypeOf('number');
      }
      const names = q.columns.map((c) => c.name);
      const { headline: h } = q;
      expect(names).toContain(h.column);
      expect(h.label.length).toBeGreaterThan(1);
      expect(['higher', 'lower']).toContain(h.worse);
      expect(h.threshold !== undefined || h.baseline !== undefined).toBe(true);
      if (h.by) expect(names).toContain(h.by);
      if (h.baseline) expect(names).toContain(h.baseline);
      if (typeof h.threshold === 'object') {
        const param = (q.params.shape as Record<string, z.ZodType>)[h.threshold.param];
        expect(param && describeParam(param)?.kql).toMatch(/^(real|long|int|timespan)$/);
      }
    },
  );

  it('has at least three distinct example questions per query', () => {
    for (const q of queries) {
      expect(new Set(q.examples).size, q.id).toBeGreaterThanOrEqual(3);
      expect(q.description.length, q.id).toBeGreaterThan(10);
    }
  });

  it('posts no user identifiers or addresses unless the query is private', () => {
    expect(privacyViolations(queries)).toEqual([]);
    // The check bites: the same shape without the private mark is a violation.
    const leaky = { ...KQL_CATALOG.get('prompt-injection-sources')!, id: 'leaky', private: false };
    expect(privacyViolations([leaky])).toEqual(['leaky: UserId, ClientIP']);
    expect(privacyViolations([{ id: 'aliased', private: false, columns: [{ name: 'sessionid' }] }])).toEqual([
      'aliased: sessionid',
    ]);
    const sources = KQL_CATALOG.get('prompt-injection-sources')!;
    expect(sources.private).toBe(true);
    expect(identifyingColumns(sources.columns)).toEqual(['UserId', 'ClientIP']);
  });
});
