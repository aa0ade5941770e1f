import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { ConfigError } from '../../../core/config-error.ts';
import { pagingPolicy } from '../../../handlers/paging/paging-policy.ts';

const KEY = 'R0123456789ABCDEF0123456789ABCDE';

describe('paging configuration', () => {
  it('reads PagerDuty and SMTP settings and treats the routing key as a secret', () => {
    const c = loadConfig({
      BOT_MODE: 'local',
      PAGERDUTY_ROUTING_KEY: KEY,
      SMTP_URL: 'smtp://127.0.0.1:2525',
    });
    expect(c.pagerDuty).toEqual({ routingKey: KEY, eventsUrl: undefined });
    expect(c.smtp).toEqual({ host: '127.0.0.1', port: 2525, implicitTls: false, requireTls: false });
    expect(c.secrets).toContain(KEY);
    expect(loadConfig({ BOT_MODE: 'local' }).pagerDuty).toBeUndefined();
  });

  it('rejects a short routing key and an SMTP URL with credentials', () => {
    expect(() => loadConfig({ BOT_MODE: 'local', PAGERDUTY_ROUTING_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ BOT_MODE: 'local', SMTP_URL: 'smtp://u:p@relay:25' })).toThrow(ConfigError);
  });

  it('reads SMTP TLS and AUTH settings, the password a secret from the environment', () => {
    const c = loadConfig({
      BOT_MODE: 'local',
      SMTP_URL: 'smtps://relay.example.com:465',
      SMTP_USER: 'oncall-bot',
      SMTP_PASSWORD: 'hunter2-but-longer',
      SMTP_REQUIRE_TLS: 'on',
    });
    expect(c.smtp).toEqual({
      host: 'relay.example.com',
      port: 465,
      implicitTls: true,
      requireTls: true,
      auth: { user: 'oncall-bot', pass: 'hunter2-but-longer' },
    });
    expect(c.secrets).toContain('hunter2-but-longer');
  });

  it('names the SMTP field that is wrong, without echoing the password', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ BOT_MODE: 'local', ...env });
      } catch (err) {
        return (err as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(problems({ SMTP_URL: 'smtp://relay:25', SMTP_USER: 'bot' })).toMatch(/^SMTP_PASSWORD: /m);
    const noUser = problems({ SMTP_URL: 'smtp://relay:25', SMTP_PASSWORD: 'pw-secret-123' });
    expect(noUser).toMatch(/^SMTP_USER: /m);
    expect(noUser).not.toContain('pw-secret-123');
    expect(problems({ SMTP_USER: 'bot', SMTP_PASSWORD: 'pw-secret-123' })).toMatch(/^SMTP_URL: /m);
    expect(problems({ SMTP_URL: 'http://relay:25' })).toMatch(/SMTP_URL/);
    expect(problems({ SMTP_URL: 'smtp://relay:25', SMTP_REQUIRE_TLS: 'maybe' })).toMatch(/SMTP_REQUIRE_TLS/);
  });

  it('fills the policy defaults: 5 min escalation, 30 min reminder, weekdays at 09:00', () => {
    const p = pagingPolicy.parse({});
    expect(p).toMatchObject({ escalateAfter: 300_000, remindAfter: 1_800_000, installId: 'oncall-bot' });
    expect(p.digest).toMatchObject({ at: '09:00', workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(pagingPolicy.parse({ escalateAfter: '10m' }).escalateAfter).toBe(600_000);
    expect(pagingPolicy.safeParse({ digest: { at: '9am' } }).success).toBe(false);
    expect(pagingPolicy.safeParse({ digest: { timeZone: 'Mars/Olympus' } }).success).toBe(false);
    expect(pagingPolicy.safeParse({ escalate: '5m' }).success).toBe(false);
  });
});
