import { describe, expect, it } from 'vitest';
import { latestDigestSlot, zonedInstant } from '../../../handlers/paging/business-day.ts';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const ams = { timeZone: 'Europe/Amsterdam', at: '09:00', workingDays: WEEKDAYS };

describe('business-day digest slots', () => {
  it('finds the wall-clock instant in a zone, across DST', () => {
    expect(new Date(zonedInstant(2026, 11, 30, 9, 0, 'Europe/Amsterdam')).toISOString()).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    expect(new Date(zonedInstant(2026, 7, 1, 9, 0, 'Europe/Amsterdam')).toISOString()).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(new Date(zonedInstant(2026, 7, 1, 9, 0, 'America/New_York')).toISOString()).toBe(
      '2026-07-01T13:00:00.000Z',
    );
  });

  it('over a weekend the latest slot stays Friday until Monday 09:00 local', () => {
    expect(latestDigestSlot(Date.parse('2026-11-28T12:00:00Z'), ams)?.day).toBe('2026-11-27');
    expect(latestDigestSlot(Date.parse('2026-11-30T07:59:59Z'), ams)?.day).toBe('2026-11-27');
    expect(latestDigestSlot(Date.parse('2026-11-30T08:00:00Z'), ams)).toEqual({
      day: '2026-11-30',
      at: Date.parse('2026-11-30T08:00:00Z'),
    });
  });

  it('uses the local date, not the UTC date', () => {
    const tokyo = { timeZone: 'Asia/Tokyo', at: '08:30', workingDays: WEEKDAYS };
    // Sunday 23:45 UTC is Monday 08:45 in Tokyo.
    expect(latestDigestSlot(Date.parse('2026-11-29T23:45:00Z'), tokyo)?.day).toBe('2026-11-30');
  });

  it('honours custom working days', () => {
    const sunThu = {
      timeZone: 'UTC',
      at: '07:00',
      workingDays: ['sun', 'mon', 'tue', 'wed', 'thu'] as const,
    };
    expect(latestDigestSlot(Date.parse('2026-11-28T12:00:00Z'), sunThu)?.day).toBe('2026-11-26');
    expect(latestDigestSlot(Date.parse('2026-11-29T07:00:00Z'), sunThu)?.day).toBe('2026-11-29');
  });
});
