import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../core/errors.ts';
import {
  checkPoolChange,
  diffPool,
  type Member,
  membersOf,
  setPool,
  sharesOf,
  shiftPool,
} from '../../../remediation/backend-pool-weights.ts';
import { memberBackend } from '../../../remediation/executors/apim-backends.ts';
import { parseRemediationPolicy } from '../../../remediation/policy.ts';

const ID =
  '/subscriptions/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/rg-ai/providers/Microsoft.ApiManagement/service/apim-ai/backends';
const m = (backend: string, priority: number | null, weight: number | null): Member => ({
  backend,
  id: `${ID}/${backend}`,
  priority,
  weight,
});

/** The usual AI gateway: a PTU deployment first, pay-as-you-go in two regions behind it. */
const ptuFirst = [
  m('aoai-ptu-eastus2', 1, 100),
  m('aoai-paygo-eastus2', 2, 50),
  m('aoai-paygo-sweden', 2, 50),
];
const limits = { primary: 'aoai-ptu-eastus2', minPrimaryShare: 20, maxShift: 100 };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserFacingError && err.code === 'GUARDRAIL') return err.message;
    throw err;
  }
  throw new Error('expected a guardrail refusal');
}

describe('API Management backend pool weights', () => {
  it('reads shares: only the first priority group gets traffic, split by weight; unset counts as 1', () => {
    expect(sharesOf(ptuFirst)).toEqual({
      'aoai-ptu-eastus2': 100,
      'aoai-paygo-eastus2': 0,
      'aoai-paygo-sweden': 0,
    });
    expect(sharesOf([m('a', 1, 30), m('b', 1, 10)])).toEqual({ a: 75, b: 25 });
    expect(sharesOf([m('a', null, null), m('b', 1, null), m('c', 3, 1)])).toEqual({ a: 50, b: 50, c: 0 });
  });

  it('names members by the backend id at the end of their ARM id, or refuses the pool', () => {
    expect(memberBackend(`${ID}/aoai-ptu-eastus2`)).toBe('aoai-ptu-eastus2');
    expect(memberBackend('/backends/aoai-ptu-eastus2')).toBe('aoai-ptu-eastus2');
    expect(memberBackend('/subscriptions/x/other/thing')).toBeUndefined();
    expect(
      refusal(() =>
        membersOf({ name: 'pool', etag: '"e"', services: [{ id: 'nonsense', priority: 1, weight: 1 }] }),
      ),
    ).toBe('Refused by guardrail: pool pool lists "nonsense", which is not a backend id.');
    expect(refusal(() => membersOf({ name: 'empty', etag: '"e"', services: [] }))).toBe(
      'Refused by guardrail: pool empty has no member backends.',
    );
  });

  it('moves a fallback member into the first group with its percent; lower groups keep theirs', () => {
    const next = shiftPool(ptuFirst, 'aoai-paygo-sweden', 40);
    expect(next.map((x) => [x.backend, x.priority, x.weight])).toEqual([
      ['aoai-ptu-eastus2', 1, 60],
      ['aoai-paygo-eastus2', 2, 50],
      ['aoai-paygo-sweden', 1, 40],
    ]);
    expect(sharesOf(next)).toEqual({
      'aoai-ptu-eastus2': 60,
      'aoai-paygo-eastus2': 0,
      'aoai-paygo-sweden': 40,
    });
    expect(diffPool(ptuFirst, next)).toEqual([
      'aoai-ptu-eastus2: priority 1, weight 100 → 60 (100% → 60% of traffic)',
      'aoai-paygo-eastus2: priority 2, weight 50 (0% → 0% of traffic)',
      'aoai-paygo-sweden: priority 2 → 1, weight 50 → 40 (0% → 40% of traffic)',
    ]);
  });

  it('shares the rest among the first group in proportion to today’s weights', () => {
    const next = shiftPool([m('a', 1, 60), m('b', 1, 30), m('c', 1, 10)], 'c', 40);
    expect(next.map((x) => x.weight)).toEqual([40, 20, 40]);
  });

  it('restores exact settings, unset ones included; unknown members are refused', () => {
    const shifted = shiftPool([m('a', null, null), m('b', 2, null)], 'b', 50);
    const back = setPool(shifted, { a: null, b: null }, { a: null, b: 2 });
    expect(back).toEqual([m('a', null, null), m('b', 2, null)]);
    expect(refusal(() => setPool(ptuFirst, { 'aoai-westus': 10 }, {}))).toMatch(
      /aoai-westus not in the pool; members: aoai-ptu-eastus2, aoai-paygo-eastus2, aoai-paygo-sweden/,
    );
  });

  it('keeps the primary its minimum share, including when a priority change would demote it', () => {
    const next = shiftPool(ptuFirst, 'aoai-paygo-sweden', 90);
    expect(refusal(() => checkPoolChange(ptuFirst, next, limits))).toBe(
      'Refused by guardrail: the primary aoai-ptu-eastus2 would keep 10% of the traffic; the minimum is 20%.',
    );
    const demoted = setPool(ptuFirst, {}, { 'aoai-ptu-eastus2': 3 });
    expect(refusal(() => checkPoolChange(ptuFirst, demoted, limits))).toMatch(
      /the primary aoai-ptu-eastus2 would keep 0% of the traffic/,
    );
    expect(
      checkPoolChange(ptuFirst, shiftPool(ptuFirst, 'aoai-paygo-sweden', 80), limits).after,
    ).toMatchObject({
      'aoai-ptu-eastus2': 20,
      'aoai-paygo-sweden': 80,
    });
  });

  it('refuses moving more than the policy allows, a pool left without weight, no change, an unknown primary', () => {
    const next = shiftPool(ptuFirst, 'aoai-paygo-sweden', 50);
    expect(refusal(() => checkPoolChange(ptuFirst, next, { ...limits, maxShift: 25 }))).toBe(
      'Refused by guardrail: moving 50 points of traffic exceeds the maximum of 25.',
    );
    const dark = setPool(ptuFirst, { 'aoai-ptu-eastus2': 0 }, {});
    expect(refusal(() => checkPoolChange(ptuFirst, dark, { ...limits, minPrimaryShare: 0 }))).toBe(
      'Refused by guardrail: no backend of the first priority group would keep a weight above 0.',
    );
    expect(refusal(() => checkPoolChange(ptuFirst, ptuFirst, limits))).toMatch(/already has these weights/);
    expect(refusal(() => checkPoolChange(ptuFirst, next, { ...limits, primary: 'aoai-gone' }))).toMatch(
      /the primary aoai-gone named in the policy is not in the pool/,
    );
  });

  it('parses remediation.apim and the primary guardrail, naming the field that is wrong', () => {
    const policy = parseRemediationPolicy({
      apim: {
        resourceGroup: 'rg-ai',
        service: 'apim-ai',
        pools: { 'aoai-pool': { primary: 'aoai-ptu-eastus2' } },
      },
      guardrails: { minPrimaryWeight: 30 },
    });
    expect(policy.apim?.pools).toEqual({ 'aoai-pool': { primary: 'aoai-ptu-eastus2' } });
    expect(policy.guardrails.minPrimaryWeight).toBe(30);
    expect(parseRemediationPolicy({}).guardrails.minPrimaryWeight).toBe(20);
    expect(() =>
      parseRemediationPolicy({ apim: { resourceGroup: 'rg-ai', service: 'apim-ai', pools: {} } }),
    ).toThrow(/remediation: apim\.pools: name at least one backend pool/);
    expect(() =>
      parseRemediationPolicy({
        apim: { resourceGroup: 'rg-ai', service: 'apim-ai', pools: { p: { primary: 'a b' } } },
      }),
    ).toThrow(/apim\.pools\.p\.primary/);
    expect(() => parseRemediationPolicy({ guardrails: { minPrimaryWeight: 101 } })).toThrow(
      /minPrimaryWeight/,
    );
  });
});
