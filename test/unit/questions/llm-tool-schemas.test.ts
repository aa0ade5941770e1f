import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseQueryArguments } from '../../../handlers/questions/llm/tool-arguments.ts';
import { buildTools, toStrictParamsSchema } from '../../../handlers/questions/llm/tool-schemas.ts';
import type { RoutableQuery } from '../../../handlers/questions/routable-query.ts';
import { createQuestionRouter } from '../../../handlers/questions/route-question.ts';
import { questionCatalog, questionInventory } from '../../fixtures/questions/catalog.ts';
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
      'start',
      'end',
      'deployment',
      'model_version',
      'app_role',
      'operation',
      'team',
    ]);
  });

  it('offers the absolute range as ISO text, the same start/end the offline router fills', () => {
    const throttle = byId.get('throttle-rate')!;
    const schema = toStrictParamsSchema(throttle) as {
      properties: Record<string, { type: unknown; description: string }>;
      required: string[];
    };
    expect(schema.properties.start!.type).toEqual(['string', 'null']);
    expect(schema.properties.end!.description).toMatch(/ISO 8601 with its zone.*null means not given/);
    expect(schema.required).toContain('start');
    expect(strictSchemaProblems(schema)).toEqual([]);
    const yesterday =
      '{"window":null,"start":"2026-11-27T00:00:00Z","end":"2026-11-28T00:00:00Z","deployment":"gpt-4o"}';
    expect(parseQueryArguments(throttle, yesterday)).toEqual({
      ok: true,
      params: { start: '2026-11-27T00:00:00Z', end: '2026-11-28T00:00:00Z', deployment: 'gpt-4o' },
    });
    expect(parseQueryArguments(throttle, '{"start":"yesterday"}')).toEqual({
      ok: false,
      failure: 'invalid-arguments',
    });
    // What the offline router fills is what the tool takes.
    const offline = createQuestionRouter({ queries: questionCatalog, inventory: questionInventory }).route(
      '429s on gpt-4o yesterday',
      { now: new Date('2026-11-28T14:00:00Z'), timeZone: 'UTC' },
    );
    if (offline.kind !== 'query') throw new Error('expected a query');
    expect(parseQueryArguments(throttle, JSON.stringify(offline.params))).toEqual({
      ok: true,
      params: offline.params,
    });
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
