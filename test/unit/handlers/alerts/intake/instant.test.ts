import { describe, expect, it } from 'vitest';
import { isGoZeroTime, toIsoInstant } from '../../../../../handlers/alerts/intake/instant.ts';

const go = { assumeUtc: false, usDates: false };
const azure = { assumeUtc: true, usDates: false };
const legacy = { assumeUtc: true, usDates: true };

describe('toIsoInstant', () => {
  it('normalises RFC 3339 with any precision and offset to UTC milliseconds', () => {
    expect(toIsoInstant('2026-11-28T09:12:04.512345678Z', go)).toBe('2026-11-28T09:12:04.512Z');
    expect(toIsoInstant('2019-03-22T14:03:16.2246313Z', azure)).toBe('2019-03-22T14:03:16.224Z');
    expect(toIsoInstant('2026-11-28T01:30:00+05:30', go)).toBe('2026-11-27T20:00:00.000Z');
    expect(toIsoInstant('2026-12-31T20:00:00-08:00', go)).toBe('2027-01-01T04:00:00.000Z');
    expect(toIsoInstant('2026-11-28T09:12:04Z', go)).toBe('2026-11-28T09:12:04.000Z');
  });

  it('reads a missing offset as UTC only for Azure', () => {
    expect(toIsoInstant('2026-11-28T09:12:04.5', go)).toBeNull();
    expect(toIsoInstant('2026-11-28T09:12:04.5', azure)).toBe('2026-11-28T09:12:04.500Z');
  });

  it('rejects instants that do not exist', () => {
    for (const text of [
      '2026-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-28T24:00:00Z',
      '2026-11-28T10:60:00Z',
    ]) {
      expect(toIsoInstant(text, go)).toBeNull();
    }
    expect(toIsoInstant('2026-11-28T10:00:00+24:00', go)).toBeNull();
    expect(toIsoInstant('9999-12-31T23:00:00-02:00', go)).toBeNull();
    expect(toIsoInstant('2024-02-29T00:00:00Z', go)).toBe('2024-02-29T00:00:00.000Z');
  });

  it('keeps Go zero time as year 1 so it can be recognised', () => {
    const zero = toIsoInstant('0001-01-01T00:00:00Z', go);
    expect(zero).toBe('0001-01-01T00:00:00.000Z');
    expect(isGoZeroTime(zero!)).toBe(true);
    expect(isGoZeroTime('2026-11-28T09:12:04.512Z')).toBe(false);
  });

  it('reads legacy US dates as UTC, on 12- and 24-hour clocks', () => {
    expect(toIsoInstant('3/22/2019 1:36:31 PM', legacy)).toBe('2019-03-22T13:36:31.000Z');
    expect(toIsoInstant('3/22/2019 12:05:09 AM', legacy)).toBe('2019-03-22T00:05:09.000Z');
    expect(toIsoInstant('3/22/2019 12:05:09 PM', legacy)).toBe('2019-03-22T12:05:09.000Z');
    expect(toIsoInstant('12/31/2025 23:59:59', legacy)).toBe('2025-12-31T23:59:59.000Z');
    expect(toIsoInstant('3/22/2019 13:36:31 PM', legacy)).toBeNull();
    expect(toIsoInstant('22/3/2019 1:36:31 PM', legacy)).toBeNull();
    expect(toIsoInstant('3/22/2019 1:36:31 PM', azure)).toBeNull();
  });
});
