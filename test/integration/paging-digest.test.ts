import { afterEach, describe, expect, it } from 'vitest';
import { type SmtpServer, startSmtpServer } from '../servers/smtp.ts';
import { alertGroup, type PagingHarness, startPagingHarness } from '../unit/paging/paging-harness.ts';

const count = (texts: string[], needle: string) => texts.filter((t) => t.includes(needle)).length;

describe('P3 daily digest', () => {
  let h: PagingHarness;
  afterEach(async () => {
    await h?.stop();
  });

  it('posts the P3s of the weekend once, at 09:00 Amsterdam on the next working day', async () => {
    // The harness clock starts on Saturday 2026-11-28 09:00Z (10:00 in Amsterdam).
    h = await startPagingHarness({
      digest: { at: '09:00', workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    });
    await h.bot.postAlert('alertmanager', alertGroup('QuotaApproaching', 'info'));
    await h.bot.postAlert('alertmanager', alertGroup('CostForecast', 'info'));
    await h.tick();
    // Resolved before the digest: still listed, it happened.
    await h.bot.postAlert('alertmanager', alertGroup('CostForecast', 'info', 'resolved'));
    await h.tick();
    expect(count(await h.threadTexts(), 'P3 digest')).toBe(0);

    h.bot.clock.set(Date.parse('2026-11-30T07:59:00Z')); // Monday 08:59 in Amsterdam
    await h.tick();
    expect(count(await h.threadTexts(), 'P3 digest')).toBe(0);

    h.bot.clock.set(Date.parse('2026-11-30T08:00:00Z'));
    await h.tick();
    await h.tick();
    h.bot.clock.advance(6 * 3_600_000);
    await h.tick();
    const digests = (await h.bot.consoleMessages()).filter((m) => m.text.includes('P3 digest'));
    expect(digests).toHaveLength(1);
    const card = JSON.stringify(digests[0]!.card);
    expect(digests[0]!.text).toContain('P3 digest for 2026-11-30: 2 incidents');
    expect(card).toContain('INC-1');
    expect(card).toContain('INC-2');
    expect(h.pd.received).toHaveLength(0);
  });

  it('keeps P3 cards out of the on-call channel until the digest, unless the policy posts them', async () => {
    h = await startPagingHarness();
    await h.bot.postAlert('alertmanager', alertGroup('QuotaApproaching', 'info'));
    await h.bot.postAlert('alertmanager', alertGroup('GpuTempHigh', 'warning'));
    await h.tick();
    // The P2 has its card; the P3 has none, and no note of its own when it resolves.
    let messages = await h.bot.consoleMessages();
    expect(messages.filter((m) => m.card && m.text.includes('GpuTempHigh'))).toHaveLength(1);
    expect(messages.filter((m) => m.text.includes('QuotaApproaching'))).toHaveLength(0);
    await h.bot.postAlert('alertmanager', alertGroup('QuotaApproaching', 'info', 'resolved'));
    await h.tick();
    messages = await h.bot.consoleMessages();
    expect(messages.filter((m) => /INC-1\b/.test(m.text + JSON.stringify(m.card)))).toHaveLength(0);
    h.bot.clock.set(Date.parse('2026-11-30T08:00:00Z'));
    await h.tick();
    const digest = (await h.bot.consoleMessages()).filter((m) => m.text.includes('P3 digest'));
    expect(digest).toHaveLength(1);
    expect(JSON.stringify(digest[0]!.card)).toContain('QuotaApproaching');
    await h.stop();

    h = await startPagingHarness({ digest: { postCardsAtOnce: true } });
    await h.bot.postAlert('alertmanager', alertGroup('QuotaApproaching', 'info'));
    await h.tick();
    expect((await h.bot.consoleMessages()).filter((m) => m.card && m.text.includes('P3'))).toHaveLength(1);
  });

  it('leaves a P3 opened after the day started for the next day’s digest', async () => {
    h = await startPagingHarness();
    h.bot.clock.set(Date.parse('2026-11-30T10:00:00Z')); // Monday, after the digest time
    await h.tick(); // Monday's digest: nothing to say, nothing posted
    await h.bot.postAlert('alertmanager', alertGroup('QuotaApproaching', 'info'));
    await h.tick();
    expect(count(await h.threadTexts(), 'P3 digest')).toBe(0);
    h.bot.clock.set(Date.parse('2026-12-01T08:00:00Z')); // Tuesday 09:00 Amsterdam
    await h.tick();
    const texts = await h.threadTexts();
    expect(count(texts, 'P3 digest for 2026-12-01: 1 incident')).toBe(1);
  });

  describe('by email', () => {
    let smtp: SmtpServer | undefined;
    afterEach(async () => {
      await smtp?.close();
    });

    it('mails the digest once through the SMTP relay, retrying a 4xx', async () => {
      smtp = await startSmtpServer();
      smtp.rejectNext('451 4.3.0 try again later');
      h = await startPagingHarness(
        {
          digest: {
            email: { from: 'oncall-bot@example.com', to: ['ml-oncall@example.com', 'lead@example.com'] },
          },
        },
        { smtp },
      );
      await h.bot.postAlert('alertmanager', alertGroup('QuotaApproaching', 'info'));
      await h.tick();
      h.bot.clock.set(Date.parse('2026-11-30T08:00:00Z'));
      await h.tick(); // digest posted; the relay defers the mail
      expect(smtp.mails).toHaveLength(0);
      h.bot.clock.advance(60_000);
      await h.tick();
      await h.tick();
      h.bot.clock.advance(3_600_000);
      await h.tick();
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0]!;
      expect(mail.from).toBe('oncall-bot@example.com');
      expect(mail.to).toEqual(['ml-oncall@example.com', 'lead@example.com']);
      expect(mail.data).toContain('Subject: P3 digest for 2026-11-30: 1 incident');
      expect(mail.data).toMatch(/INC-1 +open/);
      expect(count(await h.threadTexts(), 'P3 digest')).toBe(1);
    });

    it('retries a digest whose AUTH failed, never logging the password, and mails it once the secret is right', async () => {
      const password = 'wrong-password-4d9c1e';
      smtp = await startSmtpServer({ auth: { user: 'oncall-bot', pass: 'right-password-77b0' } });
      const target = { host: smtp.host, port: smtp.port, auth: { user: 'oncall-bot', pass: password } };
      h = await startPagingHarness(
        { digest: { email: { from: 'oncall-bot@example.com', to: ['ml-oncall@example.com'] } } },
        { smtp: target },
      );
      await h.bot.postAlert('alertmanager', alertGroup('QuotaApproaching', 'info'));
      await h.tick();
      h.bot.clock.set(Date.parse('2026-11-30T08:00:00Z'));
      await h.tick();
      h.bot.clock.advance(3_600_000);
      await h.tick();
      expect(smtp.logins.length).toBeGreaterThanOrEqual(2);
      expect(smtp.logins.every((l) => l.user === 'oncall-bot' && !l.ok)).toBe(true);
      expect(smtp.mails).toHaveLength(0);
      const logs = h.bot.logs.join('\n');
      expect(logs).toContain('SMTP_AUTH_FAILED');
      expect(logs).not.toContain(password);
      expect(logs).not.toContain(Buffer.from(password).toString('base64'));
      target.auth.pass = 'right-password-77b0'; // the operator fixes the secret
      h.bot.clock.advance(3_600_000);
      await h.tick();
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0]?.user).toBe('oncall-bot');
    });

    it('does not retry a mail the relay refused for good', async () => {
      smtp = await startSmtpServer();
      smtp.rejectNext('554 5.7.1 relay denied'); // a retry would now be accepted
      h = await startPagingHarness(
        { digest: { email: { from: 'oncall-bot@example.com', to: ['ml-oncall@example.com'] } } },
        { smtp },
      );
      await h.bot.postAlert('alertmanager', alertGroup('QuotaApproaching', 'info'));
      await h.tick();
      h.bot.clock.set(Date.parse('2026-11-30T08:00:00Z'));
      await h.tick();
      h.bot.clock.advance(3_600_000);
      await h.tick();
      expect(smtp.mails).toHaveLength(0);
      h.bot.clock.advance(3_600_000);
      await h.tick();
      expect(smtp.mails).toHaveLength(0);
    });
  });
});
