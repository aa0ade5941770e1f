import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { DeliveryError } from '../../core/errors.ts';

export interface SmtpTarget {
  host: string;
  port: number;
  /** Name the bot gives itself in EHLO. */
  heloName?: string;
}

export interface Mail {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
}

const TIMEOUT_MS = 15_000;

/** Reads SMTP replies (multi-line ones end with "NNN " rather than "NNN-"). */
function replyReader(socket: Socket) {
  let buffer = '';
  const waiting: ((reply: { code: number; text: string }) => void)[] = [];
  const ready: { code: number; text: string }[] = [];
  let lines: string[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      lines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), text: lines.join(' | ') };
        lines = [];
        const next = waiting.shift();
        if (next) next(reply);
        else ready.push(reply);
      }
    }
  });
  return () =>
    new Promise<{ code: number; text: string }>((resolve) => {
      const r = ready.shift();
      if (r) resolve(r);
      else waiting.push(resolve);
    });
}

/** Header-safe: no line breaks can smuggle extra headers in. */
function header(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/** The message in RFC 5322 form, lines dot-stuffed for DATA. */
export function formatMail(mail: Mail, date: Date, domain: string): string {
  const clean = header(mail.subject);
  const subject = /^[\x20-\x7e]*$/.test(clean)
    ? clean
    : `=?UTF-8?B?${Buffer.from(clean).toString('base64')}?=`;
  const head = [
    `From: ${header(mail.from)}`,
    `To: ${mail.to.map(header).join(', ')}`,
    `Subject: ${subject}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomUUID()}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  const body = mail.text
    .split(/\r?\n/)
    .map((l) => (l.startsWith('.') ? `.${l}` : l))
    .join('\r\n');
  return `${head.join('\r\n')}\r\n\r\n${body}\r\n`;
}

/**
 * Sends one plain-text mail through an SMTP relay (no TLS, no auth: a local relay or smarthost).
 * A 4xx reply or a broken connection is retryable; a 5xx is not.
 */
export async function sendMail(target: SmtpTarget, mail: Mail, date: Date): Promise<void> {
  const socket = connect({ host: target.host, port: target.port });
  socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('SMTP timeout')));
  const failed = new Promise<never>((_, reject) => {
    socket.once('error', (err) =>
      reject(
        new DeliveryError('SMTP_UNREACHABLE', `SMTP relay: ${err.message}`, true, undefined, { cause: err }),
      ),
    );
    socket.once('close', () =>
      reject(new DeliveryError('SMTP_CLOSED', 'SMTP relay closed the connection', true)),
    );
  });
  failed.catch(() => undefined);
  const next = replyReader(socket);
  const expect = async (ok: readonly number[], step: string) => {
    const reply = await Promise.race([next(), failed]);
    if (!ok.includes(reply.code)) {
      const retryable = reply.code >= 400 && reply.code < 500;
      throw new DeliveryError(
        retryable ? 'SMTP_DEFERRED' : 'SMTP_REJECTED',
        `SMTP ${step}: ${reply.text}`,
        retryable,
      );
    }
  };
  const send = (line: string) => socket.write(`${line}\r\n`);
  const domain = target.heloName ?? 'oncall-bot.local';
  try {
    await expect([220], 'greeting');
    send(`EHLO ${domain}`);
    await expect([250], 'EHLO');
    send(`MAIL FROM:<${header(mail.from)}>`);
    await expect([250], 'MAIL FROM');
    for (const to of mail.to) {
      send(`RCPT TO:<${header(to)}>`);
      await expect([250, 251], `RCPT TO ${to}`);
    }
    send('DATA');
    await expect([354], 'DATA');
    socket.write(`${formatMail(mail, date, domain)}.\r\n`);
    await expect([250], 'message');
    send('QUIT');
  } finally {
    socket.end();
  }
}
