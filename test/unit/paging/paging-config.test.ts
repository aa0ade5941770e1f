import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { ConfigError } from '../../../core/config-error.ts';
import { pagingPolicy } from '../../../handlers/paging/paging-policy.ts';
import { formatMail } from '../../../handlers/paging/smtp-client.ts';

const KEY = 'R0123456789ABCDEF0123456789ABCDE';

describe('paging configuration', () => {
  it('reads PagerDuty and SMTP settings and treats the routing key as a secret', () => {
    const c = loadConfig({
      BOT_MODE: 'local',
      PAGERDUTY_ROUTING_KEY: KEY,
      SMTP_URL: 'smtp://127.0.0.1:2525',
    });
    expect(c.pagerDuty).toEqual({ routingKey: KEY, eventsUrl: undefined });
    expect(c.smtp).toEqual({ host: '127.0.0.1', port: 2525 });
    expect(c.secrets).toContain(KEY);
    expect(loadConfig({ BOT_MODE: 'local' }).pagerDuty).toBeUndefined();
  });

  it('rejects a short routing key and an SMTP URL with credentials', () => {
    expect(() => loadConfig({ BOT_MODE: 'local', PAGERDUTY_ROUTING_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ BOT_MODE: 'local', SMTP_URL: 'smtp://u:p@relay:25' })).toThrow(ConfigError);
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

describe('digest mail', () => {
  it('dot-stuffs lines and keeps line breaks out of headers', () => {
    const text = formatMail(
      {
        from: 'bot@example.com',
        to: ['a@example.com'],
        subject: 'x\r\nBcc: evil@example.com',
        text: '.hidden\nok',
      },
      new Date('2026-11-30T08:00:00Z'),
      'bot.local',
    );
    expect(text).toContain('Subject: x Bcc: evil@example.com\r\n');
    expect(text).not.toMatch(/^Bcc:/m);
    expect(text).toContain('\r\n\r\n..hidden\r\nok\r\n');
    expect(text).toContain('Date: Mon, 30 Nov 2026 08:00:00 +0000');
  });
});
