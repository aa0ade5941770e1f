import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineKqlQuery } from '../../../queries/kql/define-kql-query.ts';
import { deploymentName, timespan } from '../../../queries/params.ts';

/** A valid definition of throttle-rate (its .kql file exists), to break one field at a time. */
function definition() {
  return {
    id: 'throttle-rate',
    title: 'HTTP 429 throttle rate',
    description: 'Share of requests throttled, per app role over time.',
    examples: ['are we rate limited?', '429s on gpt-4o', 'throttling since midnight'],
    params: z.object({
      window: timespan({ min: '5m', max: '7d', default: '24h' }),
      bucket: timespan({ min: '1m', max: '1d', default: '15m' }),
      deployment: deploymentName('*'),
    }),
    columns: [
      { name: 'TimeGenerated', type: 'datetime' as const },
      { name: 'AppRoleName', type: 'string' as const },
      { name: 'Total', type: 'long' as const, unit: 'req' },
      { name: 'Throttled', type: 'long' as const, unit: 'req' },
      { name: 'ThrottleRate', type: 'real' as const, unit: '%', decimals: 2 },
    ],
    headline: {
      column: 'ThrottleRate',
      label: 'Throttle rate',
      by: 'AppRoleName',
      threshold: 5 as number | { param: string },
      worse: 'higher' as const,
    },
    show: { kind: 'line' as const, x: 'TimeGenerated', y: ['ThrottleRate'] },
  };
}

describe('defineKqlQuery refuses a query whose result people could misread', () => {
  it('defines the valid one', () => {
    expect(defineKqlQuery(definition()).headline).toMatchObject({ column: 'ThrottleRate', threshold: 5 });
  });

  it('without a headline', () => {
    const { headline: _, ...def } = definition();
    // @ts-expect-error the headline is required by the type too
    expect(() => defineKqlQuery(def)).toThrow(/vetted query throttle-rate:[\s\S]*headline/);
  });

  it('with a headline that compares with nothing, or names no direction', () => {
    const def = definition();
    const { threshold: _, ...bare } = def.headline;
    expect(() => defineKqlQuery({ ...def, headline: bare })).toThrow(/threshold or a baseline/);
    const { worse: __, ...noDirection } = def.headline;
    // @ts-expect-error `worse` is required
    expect(() => defineKqlQuery({ ...def, headline: noDirection })).toThrow(/headline\.worse/);
  });

  it('with a headline on a missing or non-numeric column, or a missing baseline or `by`', () => {
    const def = definition();
    const bad = (headline: Partial<typeof def.headline> & { baseline?: string }) => () =>
      defineKqlQuery({ ...def, headline: { ...def.headline, ...headline } });
    expect(bad({ column: 'Throttle' })).toThrow(/Throttle is not a number or timespan column/);
    expect(bad({ column: 'AppRoleName' })).toThrow(/AppRoleName is not a number or timespan column/);
    expect(bad({ by: 'Role' })).toThrow(/Role is not a column/);
    expect(bad({ baseline: 'AppRoleName' })).toThrow(/AppRoleName is not a column of the same type/);
  });

  it('with a threshold parameter that does not exist or holds no number', () => {
    const def = definition();
    const bad = (param: string) => () =>
      defineKqlQuery({ ...def, headline: { ...def.headline, threshold: { param } } });
    expect(bad('limit_pct')).toThrow(/limit_pct is not a typed real parameter/);
    expect(bad('deployment')).toThrow(/deployment is not a typed real parameter/);
  });

  it('with a number column without its unit, or a real without its decimals', () => {
    const def = definition();
    const columns = def.columns.map((c) =>
      c.name === 'Total'
        ? { name: c.name, type: c.type }
        : c.name === 'ThrottleRate'
          ? { ...c, decimals: undefined }
          : c,
    );
    expect(() => defineKqlQuery({ ...def, columns })).toThrow(
      /column Total is a number: give its unit[\s\S]*column ThrottleRate is a real: give its decimals/,
    );
  });

  it('with a time column that is not a datetime', () => {
    const def = definition();
    expect(() => defineKqlQuery({ ...def, show: { kind: 'table' }, time: 'AppRoleName' })).toThrow(
      /AppRoleName is not a datetime column/,
    );
  });
});
