import { describe, expect, it } from 'vitest';
import { formatMatcher, matchesAll, parseMatcher } from '../../../../core/alerts/matchers.ts';

describe('label matchers', () => {
  const labels = { alertname: 'GpuTemperatureHigh', Hostname: 'node-7', gpu: '3' };
  it.each([
    ['Hostname=node-7', true],
    ['Hostname!=node-7', false],
    ['alertname=~Gpu.*', true],
    ['alertname=~gpu.*', false],
    ['alertname=~(?i)gpu.*', true],
    ['alertname!~Gpu', true],
    ['missing=', true],
    ['gpu="3"', true],
  ])('%s → %s', (text, expected) => {
    expect(matchesAll([parseMatcher(text)], labels)).toBe(expected);
  });

  it('anchors regexes like Alertmanager', () => {
    expect(matchesAll([parseMatcher('Hostname=~node')], labels)).toBe(false);
  });

  it('rejects malformed matchers and regexes with a user-facing message', () => {
    expect(() => parseMatcher('node7')).toThrow(/is not a matcher/);
    expect(() => parseMatcher('a=~(')).toThrow(/not a valid regular expression/);
    expect(() => parseMatcher(`a=~${'x'.repeat(300)}`)).toThrow(/longer than/);
  });

  it('formats matchers back to text, quoting when needed', () => {
    expect(formatMatcher(parseMatcher('a=b'))).toBe('a=b');
    expect(formatMatcher(parseMatcher('a="b c"'))).toBe('a="b c"');
  });
});
