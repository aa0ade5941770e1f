import { describe, expect, it } from 'vitest';
import { extractTime } from '../../../handlers/questions/extract-time.ts';

const utc = { now: new Date('2026-11-28T14:00:00Z'), timeZone: 'UTC' };

function timeOf(question: string, clock = utc) {
  const scan = { text: ` ${question.toLowerCase()} ` };
  const slot = extractTime(scan, clock);
  return { slot, rest: scan.text.trim() };
}

describe('extractTime', () => {
  it.each([
    ['throttling in the last 2 hours', '2h'],
    ['past 30 min', '30m'],
    ['over the past 90 minutes', '90m'],
    ['last hour', '1h'],
    ['past day', '1d'],
    ['past week', '7d'],
    ['last 2 weeks', '14d'],
    ['last 1.5 hours', '90m'],
    ['past two hours', '2h'],
    ['last half hour', '30m'],
    ['since 6h', '6h'],
    ['3 hours ago', '3h'],
    ['range=6h', '6h'],
    ['since midnight', '14h'],
    ['today', '14h'],
    ['since yesterday', '38h'],
    ['yesterday', '38h'],
    ['last night', '20h'],
    ['this morning', '8h'],
    ['since 09:00', '5h'],
    ['since 9am', '5h'],
    ['since 2026-11-27', '38h'],
    ['on 2026-11-27', '38h'],
    ['27 Nov', '38h'],
    ['Nov 26th', '62h'],
    ['this week', '134h'],
    ['since friday', '38h'],
  ])('%s → window %s', (question, window) => {
    const { slot, rest } = timeOf(question);
    expect(slot?.window).toBe(window);
    expect(rest).not.toMatch(/\d/);
  });

  it('gives start and end of bounded ranges', () => {
    expect(timeOf('yesterday').slot).toMatchObject({
      start: '2026-11-27T00:00:00.000Z',
      end: '2026-11-28T00:00:00.000Z',
      label: 'yesterday',
    });
    expect(timeOf('last night').slot).toMatchObject({
      start: '2026-11-27T18:00:00.000Z',
      end: '2026-11-28T06:00:00.000Z',
    });
    expect(timeOf('since midnight').slot).toMatchObject({
      end: '2026-11-28T14:00:00.000Z',
      label: 'since 00:00',
    });
  });

  it('reads the wall clock of the injected time zone', () => {
    const amsterdam = { now: new Date('2026-11-28T08:30:00Z'), timeZone: 'Europe/Amsterdam' };
    expect(timeOf('since midnight', amsterdam).slot).toMatchObject({
      start: '2026-11-27T23:00:00.000Z',
      window: '570m',
    });
    const newYork = { now: new Date('2026-11-28T02:00:00Z'), timeZone: 'America/New_York' };
    expect(timeOf('today', newYork).slot).toMatchObject({ start: '2026-11-27T05:00:00.000Z', window: '21h' });
    // Across the spring DST change the day is 23 hours long.
    const spring = { now: new Date('2026-03-29T12:00:00Z'), timeZone: 'Europe/Amsterdam' };
    expect(timeOf('yesterday', spring).slot).toMatchObject({
      start: '2026-03-27T23:00:00.000Z',
      end: '2026-03-28T23:00:00.000Z',
    });
  });

  it('puts a clock time later than now on the previous day, and a future date in the past year', () => {
    expect(timeOf('since 15:00').slot?.window).toBe('23h');
    expect(timeOf('on 3 dec').slot?.start).toBe('2025-12-03T00:00:00.000Z');
  });

  it('does not read "may" as a month without a marker, nor invent a time', () => {
    expect(timeOf('gpu 2 may be hot').slot).toBeUndefined();
    expect(timeOf('throttle rate for gpt-4o').slot).toBeUndefined();
  });
});
