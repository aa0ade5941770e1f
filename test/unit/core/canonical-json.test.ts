import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/canonical-json.ts';
import { templateHash } from '../../../sim/kube/cluster.ts';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }, 'x'] })).toBe('{"a":[{"c":3,"d":2},"x"],"b":1}');
  });

  it('gives a value the same text before and after a JSON round trip (undefined members left out)', () => {
    const value = {
      name: 'llm-api',
      namespace: undefined,
      spec: { replicas: 2, paused: undefined },
      list: [1, undefined],
    };
    const stored = JSON.parse(JSON.stringify(value));
    expect(canonicalJson(value)).toBe(canonicalJson(stored));
    expect(canonicalJson(value)).toBe('{"list":[1,null],"name":"llm-api","spec":{"replicas":2}}');
  });

  it('is the one the simulated cluster hashes pod templates with', () => {
    const template = {
      metadata: { labels: { app: 'llm-api' }, annotations: undefined },
      spec: { containers: [] },
    };
    expect(templateHash(template)).toBe(templateHash(JSON.parse(JSON.stringify(template))));
  });
});
