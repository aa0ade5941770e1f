import { describe, expect, it } from 'vitest';
import { oncallPolicy } from '../../../../handlers/lifecycle/oncall-policy.ts';
import { createRotationSource, rotationShift } from '../../../../handlers/lifecycle/oncall-rotation.ts';

const at = (iso: string) => Date.parse(iso);
const rotation = (over: Record<string, unknown> = {}) =>
  oncallPolicy.parse({
    rotations: [
      {
        name: 'primary',
        members: ['alice', 'bob', 'carol'],
        handoff: '09:00',
        timeZone: 'Europe/Berlin',
        shiftDays: 7,
        start: '2026-10-19',
        ...over,
      },
    ],
  }).rotations[0]!;

describe('on-call rotations from the policy', () => {
  it('hands over at the local handoff time, turn by turn, and before the start too', () => {
    const r = rotation();
    // 19 Oct 2026 09:00 in Berlin is 07:00 UTC (summer time).
    expect(rotationShift(r, at('2026-10-19T07:00:00Z'))).toEqual({
      who: 'alice',
      since: at('2026-10-19T07:00:00Z'),
      // Summer time ends on 25 Oct: the next 09:00 in Berlin is 08:00 UTC.
      until: at('2026-10-26T08:00:00Z'),
    });
    expect(rotationShift(r, at('2026-10-26T07:59:00Z')).who).toBe('alice');
    expect(rotationShift(r, at('2026-10-26T08:00:00Z')).who).toBe('bob');
    expect(rotationShift(r, at('2026-11-09T08:00:00Z')).who).toBe('alice');
    expect(rotationShift(r, at('2026-10-18T12:00:00Z')).who).toBe('carol');
  });

  it('an override takes the part of the shift it covers; the member holds the rest', () => {
    const r = rotation({
      overrides: [{ member: 'dave', from: '2026-10-21T00:00:00Z', to: '2026-10-22T00:00:00Z' }],
    });
    expect(rotationShift(r, at('2026-10-20T12:00:00Z'))).toMatchObject({
      who: 'alice',
      until: at('2026-10-21T00:00:00Z'),
    });
    expect(rotationShift(r, at('2026-10-21T12:00:00Z'))).toEqual({
      who: 'dave',
      since: at('2026-10-21T00:00:00Z'),
      until: at('2026-10-22T00:00:00Z'),
    });
    expect(rotationShift(r, at('2026-10-23T12:00:00Z'))).toMatchObject({
      who: 'alice',
      since: at('2026-10-22T00:00:00Z'),
    });
  });

  it('lists each level now and next', async () => {
    const source = createRotationSource({
      rotations: [rotation(), rotation({ name: 'secondary', members: ['erin'] })],
    });
    const levels = await source.levels(at('2026-10-20T12:00:00Z'));
    expect(levels.map((l) => [l.level, l.name, l.now?.who, l.next?.who])).toEqual([
      [1, 'primary', 'alice', 'bob'],
      [2, 'secondary', 'erin', 'erin'],
    ]);
  });

  it('refuses a policy that does not say what it means, naming the field', () => {
    const bad = oncallPolicy.safeParse({
      rotations: [{ name: 'x', members: [], start: '2026-13-01', handoff: '9am', timeZone: 'Mars/Base' }],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'rotations.0.members',
        'rotations.0.start',
        'rotations.0.handoff',
        'rotations.0.timeZone',
      ]),
    );
  });
});
