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

describe('calendar ranges in words', () => {
  // Saturday 28 Nov 2026, 14:00 UTC.
  const range = (question: string, clock = utc) => {
    const { slot, rest } = timeOf(question, clock);
    return {
      start: slot?.start,
      end: slot?.end,
      absolute: slot?.absolute,
      toNow: slot?.toNow,
      label: slot?.label,
      rest,
    };
  };

  it.each([
    [
      'errors between 2 and 4 am',
      '2026-11-28T02:00:00.000Z',
      '2026-11-28T04:00:00.000Z',
      'today 02:00–04:00',
    ],
    [
      'latency between 10:00 and 12:00',
      '2026-11-28T10:00:00.000Z',
      '2026-11-28T12:00:00.000Z',
      'today 10:00–12:00',
    ],
    [
      'throttling from 11 to 1pm',
      '2026-11-28T11:00:00.000Z',
      '2026-11-28T13:00:00.000Z',
      'today 11:00–13:00',
    ],
    ['what broke 2-4am', '2026-11-28T02:00:00.000Z', '2026-11-28T04:00:00.000Z', 'today 02:00–04:00'],
    [
      'tokens between 9pm and 1am',
      '2026-11-27T21:00:00.000Z',
      '2026-11-28T01:00:00.000Z',
      'yesterday 21:00–01:00',
    ],
    ['spend on Dec 3', '2025-12-03T00:00:00.000Z', '2025-12-04T00:00:00.000Z', '2025-12-03'],
    ['spend on Nov 3rd', '2026-11-03T00:00:00.000Z', '2026-11-04T00:00:00.000Z', '2026-11-03'],
    ['yesterday', '2026-11-27T00:00:00.000Z', '2026-11-28T00:00:00.000Z', 'yesterday'],
    ['yesterday afternoon', '2026-11-27T12:00:00.000Z', '2026-11-27T18:00:00.000Z', 'yesterday afternoon'],
    [
      'the day before yesterday',
      '2026-11-26T00:00:00.000Z',
      '2026-11-27T00:00:00.000Z',
      'day before yesterday',
    ],
    ['last night', '2026-11-27T18:00:00.000Z', '2026-11-28T06:00:00.000Z', 'last night'],
    [
      'last night between 2 and 4',
      '2026-11-28T02:00:00.000Z',
      '2026-11-28T04:00:00.000Z',
      'last night 02:00–04:00',
    ],
    [
      'yesterday between 2 and 4 am',
      '2026-11-27T02:00:00.000Z',
      '2026-11-27T04:00:00.000Z',
      'yesterday 02:00–04:00',
    ],
    [
      'on Dec 3 between 2 and 4 pm',
      '2025-12-03T14:00:00.000Z',
      '2025-12-03T16:00:00.000Z',
      '2025-12-03 14:00–16:00',
    ],
    ['this morning', '2026-11-28T06:00:00.000Z', '2026-11-28T12:00:00.000Z', 'this morning'],
    ['last tuesday', '2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z', 'last Tuesday'],
    ['on wednesday afternoon', '2026-11-25T12:00:00.000Z', '2026-11-25T18:00:00.000Z', 'Wednesday afternoon'],
    ['last weekend', '2026-11-21T00:00:00.000Z', '2026-11-23T00:00:00.000Z', 'weekend of 2026-11-21'],
    ['over the weekend', '2026-11-28T00:00:00.000Z', '2026-11-28T14:00:00.000Z', 'weekend of 2026-11-28'],
    ['around 3am', '2026-11-28T02:30:00.000Z', '2026-11-28T03:30:00.000Z', 'today around 03:00'],
  ])('%s → %s … %s', (question, start, end, label) => {
    const r = range(question);
    expect(r).toMatchObject({ start, end, label, absolute: true });
    expect(r.rest).not.toMatch(/\d|yesterday|night|morning|tuesday|wednesday|weekend/);
  });

  it('runs open ranges up to now, and days named after a loose "since" too', () => {
    expect(range('since Monday')).toMatchObject({ start: '2026-11-23T00:00:00.000Z', toNow: true });
    expect(range('errors today')).toMatchObject({
      start: '2026-11-28T00:00:00.000Z',
      toNow: true,
      label: 'today (since 00:00)',
    });
    expect(range('since 09:00')).toMatchObject({ start: '2026-11-28T09:00:00.000Z', toNow: true });
    expect(range('drift since the rollout yesterday')).toMatchObject({
      start: '2026-11-27T00:00:00.000Z',
      toNow: true,
    });
    // The morning is not over at 09:00: it runs to now.
    const nine = { now: new Date('2026-11-28T09:00:00Z'), timeZone: 'UTC' };
    expect(range('this morning', nine)).toMatchObject({ start: '2026-11-28T06:00:00.000Z', toNow: true });
    expect(range('last 2 hours')).toMatchObject({ absolute: false, toNow: true });
  });

  it('reads days and clock times on the policy time zone’s wall clock', () => {
    // 01:30 on Sunday 29 Nov in Amsterdam (UTC+1).
    const ams = { now: new Date('2026-11-29T00:30:00Z'), timeZone: 'Europe/Amsterdam' };
    expect(range('yesterday', ams)).toMatchObject({
      start: '2026-11-27T23:00:00.000Z',
      end: '2026-11-28T23:00:00.000Z',
    });
    expect(range('since Monday', ams)).toMatchObject({ start: '2026-11-22T23:00:00.000Z' });
    expect(range('between 2 and 4 am', ams)).toMatchObject({
      start: '2026-11-28T01:00:00.000Z',
      end: '2026-11-28T03:00:00.000Z',
      label: 'yesterday 02:00–04:00',
    });
    // The night of the autumn DST change has 25 hours: 18:00 to 06:00 is 13 hours long.
    const autumn = { now: new Date('2026-10-25T12:00:00Z'), timeZone: 'Europe/Amsterdam' };
    expect(range('last night', autumn)).toMatchObject({
      start: '2026-10-24T16:00:00.000Z',
      end: '2026-10-25T05:00:00.000Z',
    });
  });

  it('leaves amounts that look like clock times alone', () => {
    expect(timeOf('latency between 200 and 400 ms').slot).toBeUndefined();
    expect(timeOf('between 2 and 4 gpus over 80c').slot).toBeUndefined();
    expect(timeOf('node 3 to 5').slot).toBeUndefined();
    expect(timeOf('at 500 ms').slot).toBeUndefined();
    expect(timeOf('token usage on 5 markers').slot).toBeUndefined();
    expect(timeOf('saturated gpus on the monitor').slot).toBeUndefined();
  });
});
