import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { ConfigError } from '../../../core/config-error.ts';

describe('GPU settings of the config', () => {
  it('generates a chart secret when unset and scrubs it from logs', () => {
    const a = loadConfig({});
    const b = loadConfig({});
    expect(a.chartUrlSecretGenerated).toBe(true);
    expect(a.chartUrlSecret.length).toBeGreaterThanOrEqual(32);
    expect(a.chartUrlSecret).not.toBe(b.chartUrlSecret);
    expect(a.secrets).toContain(a.chartUrlSecret);
  });

  it('uses CHART_URL_SECRET when given, and refuses a short one with a hint', () => {
    const secret = 'c'.repeat(40);
    expect(loadConfig({ CHART_URL_SECRET: secret })).toMatchObject({
      chartUrlSecret: secret,
      chartUrlSecretGenerated: false,
    });
    expect(() => loadConfig({ CHART_URL_SECRET: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ CHART_URL_SECRET: 'short' });
    } catch (err) {
      expect((err as ConfigError).problems.join('\n')).toMatch(/CHART_URL_SECRET: .*32 characters.*replica/);
    }
  });

  it('reads Prometheus settings; PROMETHEUS_URL means production', () => {
    const c = loadConfig({
      PROMETHEUS_URL: 'http://prometheus:9090',
      PROMETHEUS_BEARER_TOKEN: 'prom-token-123',
      ALERT_WEBHOOK_TOKEN: 'a'.repeat(32),
    });
    expect(c.mode).toBe('production');
    expect(c.prometheus).toEqual({ url: 'http://prometheus:9090', bearerToken: 'prom-token-123' });
    expect(c.secrets).toContain('prom-token-123');
    expect(loadConfig({}).prometheus).toBeUndefined();
  });
});
