import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/config-error.ts';
import { freezeAt, parseRemediationPolicy } from '../../../remediation/policy.ts';

describe('the remediation policy of earned automation', () => {
  it('takes mode auto with an action marked unattended, and freezes as absolute windows', () => {
    const policy = parseRemediationPolicy({
      mode: 'auto',
      actions: { 'scale-replicas': { unattended: true } },
      freezes: [{ from: '2026-12-20T00:00:00Z', to: '2027-01-04T00:00:00+01:00', reason: 'year end' }],
    });
    expect(policy.actions['scale-replicas']?.unattended).toBe(true);
    expect(freezeAt(policy, Date.parse('2026-12-24T12:00:00Z'))?.reason).toBe('year end');
    expect(freezeAt(policy, Date.parse('2026-12-19T23:59:59Z'))).toBeUndefined();
    // The end is exclusive and keeps its offset.
    expect(freezeAt(policy, Date.parse('2027-01-03T23:00:00Z'))).toBeUndefined();
  });

  it('refuses a freeze that ends before it starts, naming it', () => {
    expect(() =>
      parseRemediationPolicy({ freezes: [{ from: '2026-12-20T00:00:00Z', to: '2026-12-19T00:00:00Z' }] }),
    ).toThrow(/freezes\.0.*from < to/);
    expect(() => parseRemediationPolicy({ freezes: [{ from: 'monday', to: 'friday' }] })).toThrow(
      ConfigError,
    );
  });

  it('refuses mode auto when no action may run unattended: it would do nothing', () => {
    expect(() => parseRemediationPolicy({ mode: 'auto' })).toThrow(
      /mode: auto runs only the actions marked unattended/,
    );
  });
});
