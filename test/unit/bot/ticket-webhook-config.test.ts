import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { ConfigError } from '../../../core/config-error.ts';

const SECRET = 'ticket-secret-0123456789';

describe('ticket webhook configuration', () => {
  it('is off without TICKET_WEBHOOK_URL', () => {
    expect(loadConfig({}).ticketWebhook).toBeUndefined();
  });

  it('takes the URL, a bearer secret by default or an HMAC key, and scrubs the secret', () => {
    const bearer = loadConfig({
      TICKET_WEBHOOK_URL: 'https://tickets.example/hook',
      TICKET_WEBHOOK_SECRET: SECRET,
    });
    expect(bearer.ticketWebhook).toEqual({
      url: 'https://tickets.example/hook',
      auth: { kind: 'bearer', secret: SECRET },
    });
    expect(bearer.secrets).toContain(SECRET);
    const hmac = loadConfig({
      TICKET_WEBHOOK_URL: 'https://tickets.example/hook',
      TICKET_WEBHOOK_SECRET: SECRET,
      TICKET_WEBHOOK_AUTH: 'hmac',
    });
    expect(hmac.ticketWebhook?.auth?.kind).toBe('hmac');
  });

  it('names the problem: a secret without a URL, a short secret, a URL that is not http(s)', () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
    };
    expect(problemsOf({ TICKET_WEBHOOK_SECRET: SECRET })).toEqual([
      expect.stringMatching(/^TICKET_WEBHOOK_SECRET: set TICKET_WEBHOOK_URL too/),
    ]);
    expect(
      problemsOf({ TICKET_WEBHOOK_URL: 'https://t.example', TICKET_WEBHOOK_SECRET: 'short' })[0],
    ).toMatch(/^TICKET_WEBHOOK_SECRET.*at least 16 characters/);
    expect(problemsOf({ TICKET_WEBHOOK_URL: 'ftp://t.example' })[0]).toMatch(/^TICKET_WEBHOOK_URL/);
  });
});
