import { describe, expect, it } from 'vitest';
import { BindError } from '../../../queries/bind-parameters.ts';
import { readBoundKql, readKqlText, SEED_QUERY_IDS } from '../../../queries/kql/kql-text.ts';

describe('kql-text', () => {
  it('reads every seed query and binds its parameters', () => {
    for (const id of SEED_QUERY_IDS) expect(readKqlText(id)).toMatch(/^declare query_parameters\(/);
    expect(readBoundKql('token-usage', { window: '2h' })).toMatch(
      /^let window = 7200000ms; let start = datetime\(null\);/,
    );
  });
  it('accepts ids only, never paths', () => {
    expect(() => readKqlText('../bind-parameters')).toThrowError(BindError);
    expect(() => readKqlText('token-usage.kql')).toThrowError(BindError);
  });
});
