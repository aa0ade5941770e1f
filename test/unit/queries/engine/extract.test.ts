import { describe, expect, it } from 'vitest';
import { KqlError } from '../../../../queries/engine/errors.ts';
import { engine, rows } from './fixture.ts';

function errorOf(q: string): KqlError {
  try {
    engine().run(q);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error(`no error for ${q}`);
}

describe('extract(regex, group, text)', () => {
  it('returns the capture group of the first match, and "" when nothing matches', () => {
    const q = `datatable(u:string) ["https://x/openai/deployments/gpt-4o/chat/completions", "https://x/health", ""]
      | extend d = extract("/deployments/([^/]+)/", 1, u), whole = extract("[a-z]+", 0, u)`;
    expect(rows(q).map((r) => [r[1], r[2]])).toEqual([
      ['gpt-4o', 'https'],
      ['', 'https'],
      ['', ''],
    ]);
  });

  it('groups by what it extracts, over a table column', () => {
    expect(rows('T | summarize n = count() by first = extract("^(.)", 1, k) | order by first asc')).toEqual([
      ['', 1],
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('refuses a regex or group that is not a constant, a bad regex and a non-string, by position', () => {
    expect(errorOf('T | extend x = extract(k, 1, k)')).toMatchObject({
      code: 'KQL_ARGUMENT',
      line: 1,
      column: 16,
    });
    expect(errorOf('T | extend x = extract("(a", 1, k)').message).toContain('cannot read the regex');
    expect(errorOf('T | extend x = extract("a", v, k)').code).toBe('KQL_ARGUMENT');
    expect(errorOf('T | extend x = extract("a", 1, v)').code).toBe('KQL_TYPE');
    expect(errorOf('T | extend x = extract("a", 1)').message).toContain('takes 3 argument(s)');
  });

  it('a function the engine lacks still fails with its name and position', () => {
    const e = errorOf('T\n| extend parts = split(k, "/")');
    expect([e.code, e.line, e.column]).toEqual(['KQL_UNSUPPORTED_FUNCTION', 2, 18]);
    expect(e.message).toContain('split()');
  });
});
