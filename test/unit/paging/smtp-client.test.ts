import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../core/errors.ts';
import { type Mail, type SmtpTarget, sendMail } from '../../../handlers/paging/smtp-client.ts';
import { requireBinary } from '../../helpers/require-binary.ts';
import { makeTestCert, type SmtpServer, startSmtpServer, type TestCert } from '../../servers/smtp.ts';

const PASSWORD = 'correct-horse-battery-staple-7f3a';
const MAIL: Mail = {
  from: 'oncall-bot@example.com',
  to: ['ml-oncall@example.com', 'lead@example.com'],
  subject: 'P3 digest for 2026-11-30: 1 incident',
  text: 'INC-1  open  QuotaApproaching\n.leading dot stays\n',
};
const DATE = new Date('2026-11-30T08:00:00Z');

async function failure(target: SmtpTarget, mail: Mail = MAIL): Promise<DeliveryError> {
  const err = await sendMail(target, mail, DATE).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

const hasOpenssl = requireBinary('/usr/bin/openssl', 'apt-get install openssl');

describe.runIf(hasOpenssl)('SMTP client (nodemailer) against a real SMTP server', () => {
  let cert: TestCert;
  let server: SmtpServer | undefined;
  beforeAll(() => {
    cert = makeTestCert();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('upgrades with STARTTLS, authenticates, and delivers the headers and body', async () => {
    server = await startSmtpServer({ tls: cert, auth: { user: 'oncall-bot', pass: PASSWORD } });
    const target = {
      host: server.host,
      port: server.port,
      requireTls: true,
      auth: { user: 'oncall-bot', pass: PASSWORD },
      ca: cert.cert,
    };
    await sendMail(target, MAIL, DATE);
    expect(server.logins).toEqual([{ user: 'oncall-bot', ok: true }]);
    expect(server.mails).toHaveLength(1);
    const mail = server.mails[0]!;
    expect(mail.secure).toBe(true);
    expect(mail.user).toBe('oncall-bot');
    expect(mail.from).toBe('oncall-bot@example.com');
    expect(mail.to).toEqual(['ml-oncall@example.com', 'lead@example.com']);
    expect(mail.data).toMatch(/^Subject: P3 digest for 2026-11-30: 1 incident\r$/m);
    expect(mail.data).toMatch(/^From: oncall-bot@example.com\r$/m);
    expect(mail.data).toMatch(/^Date: Mon, 30 Nov 2026 08:00:00 \+0000\r$/m);
    expect(mail.data).toContain('INC-1  open  QuotaApproaching\r\n.leading dot stays');
  });

  it('takes STARTTLS when offered even when not required', async () => {
    server = await startSmtpServer({ tls: cert });
    await sendMail({ host: server.host, port: server.port, ca: cert.cert }, MAIL, DATE);
    expect(server.mails[0]?.secure).toBe(true);
  });

  it('speaks implicit TLS for smtps', async () => {
    server = await startSmtpServer({ tls: cert, implicitTls: true });
    await sendMail({ host: server.host, port: server.port, implicitTls: true, ca: cert.cert }, MAIL, DATE);
    expect(server.mails[0]?.secure).toBe(true);
  });

  it('refuses to send in the clear when TLS is required and the relay does not offer STARTTLS', async () => {
    server = await startSmtpServer();
    const err = await failure({ host: server.host, port: server.port, requireTls: true });
    expect(err).toMatchObject({ code: 'SMTP_TLS_FAILED', retryable: true });
    expect(server.mails).toHaveLength(0);
  });

  it('does not trust a certificate it was not given', async () => {
    server = await startSmtpServer({ tls: cert });
    const err = await failure({ host: server.host, port: server.port, requireTls: true });
    expect(err.retryable).toBe(true);
    expect(server.mails).toHaveLength(0);
  });

  it('reports an AUTH failure as retryable, without the password in its message', async () => {
    server = await startSmtpServer({ tls: cert, auth: { user: 'oncall-bot', pass: 'the-real-one' } });
    const err = await failure({
      host: server.host,
      port: server.port,
      auth: { user: 'oncall-bot', pass: PASSWORD },
      ca: cert.cert,
    });
    expect(err.code).toBe('SMTP_AUTH_FAILED');
    expect(err.retryable).toBe(true);
    expect(server.logins).toEqual([{ user: 'oncall-bot', ok: false }]);
    const shown = `${err.message} ${err.stack} ${JSON.stringify(err)}`;
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(server.mails).toHaveLength(0);
  });

  it('reports a refused recipient as retryable and a 5xx for the message as final', async () => {
    server = await startSmtpServer({
      refuseRecipients: { 'ml-oncall@example.com': '550 5.1.1 no such user' },
    });
    const refused = await failure(
      { host: server.host, port: server.port },
      { ...MAIL, to: ['ml-oncall@example.com'] },
    );
    expect(refused.code).toBe('SMTP_RECIPIENT_REFUSED');
    expect(refused.retryable).toBe(true);
    server.rejectNext('554 5.7.1 message refused');
    const final = await failure(
      { host: server.host, port: server.port },
      { ...MAIL, to: ['lead@example.com'] },
    );
    expect(final).toMatchObject({ code: 'SMTP_REJECTED', retryable: false });
    server.rejectNext('451 4.3.0 try again later');
    const deferred = await failure(
      { host: server.host, port: server.port },
      { ...MAIL, to: ['lead@example.com'] },
    );
    expect(deferred).toMatchObject({ code: 'SMTP_DEFERRED', retryable: true });
  });

  it('times out a relay that never greets', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const err = await failure({ host: '127.0.0.1', port, greetingTimeoutMs: 200 });
      expect(err).toMatchObject({ code: 'SMTP_UNREACHABLE', retryable: true });
    } finally {
      silent.close();
    }
  });

  it('keeps line breaks in the subject from adding headers', async () => {
    server = await startSmtpServer();
    await sendMail(
      { host: server.host, port: server.port },
      { ...MAIL, subject: 'x\r\nBcc: evil@example.com' },
      DATE,
    );
    expect(server.mails[0]?.data).not.toMatch(/^Bcc:/im);
    expect(server.mails[0]?.to).not.toContain('evil@example.com');
  });
});
