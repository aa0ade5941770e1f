import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePromQL,
  formatPromQLDuration,
  quotePromQLString,
} from '../../../queries/gpu/compile-promql.ts';
import { gpuQuerySpec } from '../../../queries/gpu/query-spec.ts';

/** Reads a PromQL double-quoted literal starting at `text[0]`; returns its value and length. */
function readLiteral(text: string): { value: string; length: number } {
  expect(text[0]).toBe('"');
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') return { value, length: i + 1 };
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const next = text[++i]!;
    if (next === 'x') {
      value += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else value += { n: '\n', r: '\r', t: '\t' }[next] ?? next;
  }
  throw new Error('unterminated literal');
}

describe('quotePromQLString', () => {
  it('round-trips any string as exactly one literal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const quoted = quotePromQLString(s);
        const { value, length } = readLiteral(quoted);
        expect(value).toBe(s);
        expect(length).toBe(quoted.length);
      }),
    );
  });

  it('escapes quotes, backslashes and newlines', () => {
    expect(quotePromQLString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });
});

describe('compilePromQL', () => {
  it('matches the DCGM host label under both spellings', () => {
    expect(
      compilePromQL({
        metric: 'DCGM_FI_DEV_GPU_TEMP',
        node: { value: 'node-7', source: 'dcgm' },
        matchers: [{ label: 'gpu', op: '=', value: '3' }],
      }),
    ).toBe(
      '(DCGM_FI_DEV_GPU_TEMP{gpu="3",Hostname="node-7"} or DCGM_FI_DEV_GPU_TEMP{gpu="3",hostname="node-7"})',
    );
  });

  it('keeps a hostile node value inside its literal', () => {
    const q = compilePromQL({
      metric: 'DCGM_FI_DEV_GPU_UTIL',
      node: { value: 'x"} or vector(1) #', source: 'dcgm' },
    });
    expect(q).toContain('Hostname="x\\"} or vector(1) #"');
    // With every literal blanked out, only the compiler's own structure remains.
    expect(q.replace(/"(?:[^"\\]|\\.)*"/g, '"…"')).toBe(
      '(DCGM_FI_DEV_GPU_UTIL{Hostname="…"} or DCGM_FI_DEV_GPU_UTIL{hostname="…"})',
    );
  });

  it('normalises the host label before grouping by it', () => {
    expect(
      compilePromQL({ metric: 'DCGM_FI_DEV_GPU_UTIL', aggregate: { op: 'avg', by: ['Hostname'] } }),
    ).toBe('avg by (Hostname) (label_replace(DCGM_FI_DEV_GPU_UTIL, "Hostname", "$1", "hostname", "(.+)"))');
  });

  it('applies over-time functions per selector, then topk and comparisons', () => {
    expect(
      compilePromQL({
        metric: 'DCGM_FI_DEV_GPU_UTIL',
        matchers: [{ label: 'pod', op: '!=', value: '' }],
        over: { fn: 'avg_over_time', windowMs: 30 * 60_000 },
        select: { op: 'bottomk', k: 3 },
      }),
    ).toBe('bottomk(3, avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[30m]))');
    expect(compilePromQL({ metric: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', compare: { op: '>', value: 0 } })).toBe(
      'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL > 0',
    );
  });

  it('expands the derived framebuffer percentage', () => {
    expect(compilePromQL({ metric: 'gpu:fb_used:percent', compare: { op: '>', value: 95 } })).toBe(
      '(100 * DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)) > 95',
    );
  });

  it('selects node-exporter series by the node label', () => {
    expect(
      compilePromQL({
        metric: 'node_infiniband_symbol_error_total',
        node: { value: 'node-6', source: 'node-exporter' },
        over: { fn: 'increase', windowMs: 3_600_000 },
      }),
    ).toBe('increase(node_infiniband_symbol_error_total{node="node-6"}[1h])');
  });

  it('refuses metrics, label names and shapes outside the vetted set', () => {
    expect(gpuQuerySpec.safeParse({ metric: 'node_cpu_seconds_total' }).success).toBe(false);
    expect(
      gpuQuerySpec.safeParse({
        metric: 'DCGM_FI_DEV_GPU_UTIL',
        matchers: [{ label: 'a"b', op: '=', value: 'x' }],
      }).success,
    ).toBe(false);
    expect(
      gpuQuerySpec.safeParse({ metric: 'gpu:fb_used:percent', over: { fn: 'rate', windowMs: 60_000 } })
        .success,
    ).toBe(false);
    expect(() => compilePromQL({ metric: 'DCGM_FI_DEV_GPU_UTIL', select: { op: 'topk', k: 500 } })).toThrow();
  });
});

describe('formatPromQLDuration', () => {
  it('writes compound durations', () => {
    expect(formatPromQLDuration(90_000)).toBe('1m30s');
    expect(formatPromQLDuration(6 * 3_600_000)).toBe('6h');
    expect(formatPromQLDuration(86_400_000 + 1500)).toBe('1d1s500ms');
  });
});
