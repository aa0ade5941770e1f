import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../core/errors.ts';
import {
  gpuFleetSummary,
  gpuNodeHistory,
  gpuNodeState,
  gpuQueries,
  infinibandPorts,
} from '../../../queries/gpu/catalog.ts';
import { compilePromQL } from '../../../queries/gpu/compile-promql.ts';
import { buildGpuQuery, type VettedGpuQuery } from '../../../queries/gpu/define-gpu-query.ts';
import { stepFor } from '../../../queries/gpu/params.ts';

describe('vetted GPU query catalog', () => {
  it('has unique ids and every part compiles', () => {
    const ids = gpuQueries.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    const defaults: Record<string, unknown> = { 'gpu-fleet-summary': {}, 'infiniband-ports': {} };
    for (const q of gpuQueries) {
      const specs = buildGpuQuery(q, defaults[q.id] ?? { node: 'node-7' });
      expect(Object.keys(specs).length).toBeGreaterThan(0);
      for (const spec of Object.values(specs)) {
        expect(compilePromQL(spec)).toMatch(/^[\w(]/);
        expect(Boolean(spec.range)).toBe(q.kind === 'range');
      }
    }
  });

  it('validates and normalises parameters', () => {
    const specs = buildGpuQuery(gpuNodeState, { node: ' Node-7 ', gpu: '3' });
    expect(compilePromQL(specs.temp!)).toContain('Hostname="node-7"');
    expect(compilePromQL(specs.temp!)).toContain('gpu="3"');
    expect(specs.utilSustained!.over).toEqual({ fn: 'avg_over_time', windowMs: 30 * 60_000 });
  });

  it('rejects bad nodes, GPUs and ranges with a message for people', () => {
    const bad: Array<[VettedGpuQuery, unknown, string]> = [
      [gpuNodeState, { node: 'node-7"}' }, 'node'],
      [gpuNodeState, { node: 'node-7', gpu: 16 }, 'gpu'],
      [gpuNodeHistory, { node: 'node-7', range: '30d' }, 'range must be between 5m and 7d'],
      [gpuNodeHistory, { node: 'node-7', range: 'yesterday' }, 'not a range'],
      [gpuNodeHistory, { node: 'node-7', range: '1m' }, 'range'],
    ];
    for (const [q, params, words] of bad) {
      let caught: unknown;
      try {
        buildGpuQuery(q, params);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UserFacingError);
      expect((caught as UserFacingError).code).toBe('INVALID_QUERY_PARAMS');
      expect((caught as UserFacingError).message).toContain(words);
    }
  });

  it('chooses about 240 points per range, in multiples of 15 s', () => {
    const specs = buildGpuQuery(gpuNodeHistory, { node: 'node-7', range: '6h' });
    expect(specs.tempMax!.range).toEqual({ rangeMs: 6 * 3_600_000, stepMs: 90_000 });
    expect(stepFor(3_600_000)).toBe(15_000);
    expect(stepFor(5 * 60_000)).toBe(15_000);
  });

  it('builds fleet and InfiniBand queries from their options', () => {
    const fleet = buildGpuQuery(gpuFleetSummary, { limit: 3, fbPressurePct: 90 });
    expect(compilePromQL(fleet.hottest!)).toBe('topk(3, DCGM_FI_DEV_GPU_TEMP)');
    expect(compilePromQL(fleet.memoryPressure!)).toMatch(/> 90$/);
    const ib = buildGpuQuery(infinibandPorts, { node: 'node-6', range: '6h' });
    expect(compilePromQL(ib.linkDowned!)).toBe(
      'increase(node_infiniband_link_downed_total{node="node-6"}[6h])',
    );
  });
});
