import { describe, expect, it } from 'vitest';
import { editDistance, suggestNodes } from '../../../queries/gpu/suggest-node.ts';

const nodes = Array.from({ length: 8 }, (_, i) => `node-${i}`);

describe('suggestNodes', () => {
  it('offers the nearest known node names', () => {
    expect(suggestNodes('node-70', nodes)).toEqual(['node-7', 'node-0']);
    expect(suggestNodes('node-8', nodes)).toHaveLength(3);
    expect(suggestNodes('NODE-7', nodes)[0]).toBe('node-7');
    expect(suggestNodes('nod7', nodes)).toContain('node-7');
    expect(suggestNodes('gpu-host-99', nodes)).toEqual([]);
  });

  it('matches a fragment of a long AKS node name', () => {
    const aks = ['aks-gpupool-12345678-vmss000007', 'aks-gpupool-12345678-vmss000003'];
    expect(suggestNodes('vmss000007', aks)).toEqual(['aks-gpupool-12345678-vmss000007']);
  });

  it('computes edit distances', () => {
    expect(editDistance('node-7', 'node-7')).toBe(0);
    expect(editDistance('node-70', 'node-7')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
