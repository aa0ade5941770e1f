import { describe, expect, it } from 'vitest';
import { cleanJson, cleanText } from '../../../../../handlers/alerts/intake/clean-text.ts';
import { parseAlertmanager } from '../../../../../handlers/alerts/intake/index.ts';

describe('cleanText: NUL and lone surrogates become U+FFFD, everything else is kept', () => {
  it('replaces NUL', () => expect(cleanText('x\u0000y')).toBe('x\uFFFDy'));
  it('replaces a lone high and a lone low surrogate', () => {
    expect(cleanText('a\uD800b')).toBe('a\uFFFDb');
    expect(cleanText('a\uDC00b')).toBe('a\uFFFDb');
    expect(cleanText('end\uD83D')).toBe('end\uFFFD');
    expect(cleanText('\uDE00start')).toBe('\uFFFDstart');
  });
  it('keeps surrogate pairs and other text unchanged', () => {
    expect(cleanText('GPU 🔥 über 90 °C')).toBe('GPU 🔥 über 90 °C');
    expect(cleanText('\uD83D\uDD25\uD83D')).toBe('🔥\uFFFD');
  });
  it('cleans keys and nested values, keeping a "__proto__" key as data', () => {
    const out = cleanJson(JSON.parse('{"a\\u0000":["\\ud800",{"__proto__":"x\\u0000"}],"n":1}'));
    expect(out).toEqual({ 'a\uFFFD': ['\uFFFD', JSON.parse('{"__proto__":"x\\ufffd"}')], n: 1 });
    expect(Object.getPrototypeOf((out as { 'a\uFFFD': object[] })['a\uFFFD'][1])).toBe(Object.prototype);
  });
});

describe('parsers normalise strings at the zod edge', () => {
  it('an Alertmanager alert with NUL and a lone surrogate is accepted with U+FFFD', () => {
    const body = JSON.parse(
      JSON.stringify({
        version: '4',
        groupKey: 'g',
        status: 'firing',
        receiver: 'bot',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://am',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'GpuHot\u0000', node: 'n\uD800' },
            annotations: { summary: 'x\u0000y' },
            startsAt: '2026-12-07T00:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: 'f1',
          },
        ],
      }),
    );
    const [alert] = parseAlertmanager(body);
    expect(alert!.summary).toBe('x\uFFFDy');
    expect(alert!.labels).toMatchObject({ alertname: 'GpuHot\uFFFD', node: 'n\uFFFD' });
  });
});
