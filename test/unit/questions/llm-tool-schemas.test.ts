import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseQueryArguments } from '../../../handlers/questions/llm/tool-arguments.ts';
import { buildTools, toStrictParamsSchema } from '../../../handlers/questions/llm/tool-schemas.ts';
import type { RoutableQuery } from '../../../handlers/questions/routable-query.ts';
import { questionCatalog } from '../../fixtures/questions/catalog.ts';
import { strictSchemaProblems } from '../../servers/openai.ts';

const byId = new Map(questionCatalog.map((q) => [q.id, q]));

describe('vetted queries as strict function tools', () => {
  it('gives every catalog entry a schema the strict mode accepts', () => {
    const tools = buildTools(questionCatalog);
    expect(tools).toHaveLength(questionCatalog.length + 2);
    for (const t of tools) {
      expect(t.function.strict).toBe(true);
      expect(strictSchemaProblems(t.function.parameters), t.function.name).toEqual([]);
    }
  });

  it('makes defaulted parameters nullable, says what they accept, and leaves tables from configuration out', () => {
    const throttle = toStrictParamsSchema(byId.get('throttle-rate')!) as {
      properties: Record<string, { type: unknown; description: string }>;
    };
    expect(throttle.properties.window!.type).toEqual(['string', 'number', 'null']);
    expect(throttle.properties.window!.description).toMatch(
      /between 5m and 14d.*null means the default \("24h"\)/,
    );
    const cost = toStrictParamsSchema(byId.get('cost-per-team')!) as { properties: Record<string, unknown> };
    expect(Object.keys(cost.properties)).toEqual([
      'window',
      'deployment',
      'model_version',
      'app_role',
      'operation',
      'team',
    ]);
  });

  it('re-validates arguments with the query schema and only the names its tool offers', () => {
    const cost = byId.get('cost-per-team')!;
    expect(parseQueryArguments(cost, '{"window":"7d"}')).toEqual({ ok: true, params: { window: '7d' } });
    expect(parseQueryArguments(cost, '{"window":null}')).toEqual({ ok: true, params: {} });
    expect(
      parseQueryArguments(cost, '{"window":"7d","prices":{"gpt-4o":{"inputPer1k":0,"outputPer1k":0}}}'),
    ).toEqual({
      ok: false,
      failure: 'invalid-arguments',
    });
    expect(parseQueryArguments(cost, '{"window":"40d"}')).toEqual({
      ok: false,
      failure: 'invalid-arguments',
    });
    expect(parseQueryArguments(cost, 'window=7d')).toEqual({ ok: false, failure: 'bad-arguments-json' });
  });

  it('refuses catalog ids that clash with the control tools or are not tool names', () => {
    const q = (id: string): RoutableQuery => ({
      id,
      title: 't',
      description: 'd',
      examples: ['e'],
      params: z.object({}),
      source: 'kql',
    });
    expect(() => buildTools([q('decline_question')])).toThrow(/clashes/);
    expect(() => buildTools([q('has space')])).toThrow(/not a valid tool name/);
    expect(() => buildTools([])).toThrow(/at least one/);
  });
});
