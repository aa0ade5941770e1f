import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../../../bot/policy.ts';
import { isStormOver, shouldFoldIntoStorm } from '../../../../core/alerts/storm.ts';

const policy = defaultPolicy().storm;

describe('storm policy', () => {
  it('defaults to 10 incidents in 2 minutes, 5 quiet minutes, P1 exempt', () => {
    expect(policy).toEqual({ threshold: 10, windowSeconds: 120, quietSeconds: 300, exemptTiers: ['P1'] });
  });

  it('is validated: unknown keys, negative thresholds and the log tier are refused', () => {
    expect(() => parsePolicy('storm: { threshold: -1 }')).toThrow(/storm/);
    expect(() => parsePolicy('storm: { treshold: 5 }')).toThrow(/storm/);
    expect(() => parsePolicy('storm: { exemptTiers: [log] }')).toThrow(/storm/);
    expect(parsePolicy('storm: { threshold: 0, exemptTiers: [P1, P2] }').storm).toMatchObject({
      threshold: 0,
      exemptTiers: ['P1', 'P2'],
    });
  });
});

describe('shouldFoldIntoStorm', () => {
  const decide = (over: Partial<Parameters<typeof shouldFoldIntoStorm>[0]>) =>
    shouldFoldIntoStorm({ policy, tier: 'P2', stormActive: false, openedInWindow: 1, ...over });

  it('folds only when the window holds more than the threshold, this incident included', () => {
    expect(decide({ openedInWindow: 10 })).toBe(false);
    expect(decide({ openedInWindow: 11 })).toBe(true);
  });

  it('an active storm absorbs every non-exempt incident, however slow the rate', () => {
    expect(decide({ stormActive: true, openedInWindow: 1 })).toBe(true);
    expect(decide({ stormActive: true, tier: 'P3' })).toBe(true);
  });

  it('never folds an exempt tier (P1 by default)', () => {
    expect(decide({ tier: 'P1', openedInWindow: 500 })).toBe(false);
    expect(decide({ tier: 'P1', stormActive: true })).toBe(false);
    const p2Exempt = { ...policy, exemptTiers: ['P1' as const, 'P2' as const] };
    expect(decide({ policy: p2Exempt, tier: 'P2', stormActive: true })).toBe(false);
    expect(decide({ policy: p2Exempt, tier: 'P3', stormActive: true })).toBe(true);
  });

  it('threshold 0 turns storm mode off', () => {
    expect(decide({ policy: { ...policy, threshold: 0 }, openedInWindow: 1000, stormActive: true })).toBe(
      false,
    );
  });
});

describe('isStormOver', () => {
  const storm = { id: 1, startedAt: 0, lastIncidentAt: 60_000, endedAt: null };
  it('ends after quietSeconds without a new incident, not before', () => {
    expect(isStormOver(storm, policy, 60_000 + 299_999)).toBe(false);
    expect(isStormOver(storm, policy, 60_000 + 300_000)).toBe(true);
  });
  it('an ended storm is not over again', () => {
    expect(isStormOver({ ...storm, endedAt: 100_000 }, policy, 10_000_000)).toBe(false);
  });
});
