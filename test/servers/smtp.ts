import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The DATA section as received (dot-unstuffed), CRLF line ends. */
  data: string;
  /** Whether the session was on TLS (STARTTLS or implicit) when the message came. */
  secure: boolean;
  /** The user the session authenticated as, if it did. */
  user: string | undefined;
}

/** A self-signed certificate for 127.0.0.1, made by openssl for this run. */
export interface TestCert {
  key: string;
  cert: string;
}

export interface SmtpServerOptions {
  /** Offer STARTTLS (or, with `implicitTls`, speak TLS from the first byte) with this certificate. */
  tls?: TestCert;
  implicitTls?: boolean;
  /** Require AUTH (PLAIN/LOGIN) with these credentials before MAIL. */
  auth?: { user: string; pass: string };
  /** Refuse RCPT for these addresses with this reply (e.g. "550 5.1.1 no such user"). */
  refuseRecipients?: Record<string, string>;
}

export interface SmtpServer {
  host: string;
  port: number;
  url: string;
  mails: ReceivedMail[];
  /** Every AUTH attempt, in order, with whether it succeeded. */
  logins: { user: string; ok: boolean }[];
  /** Answers the next `n` messages (after DATA) with this reply, e.g. "451 try later". */
  rejectNext(reply: string, n?: number): void;
  close(): Promise<void>;
}

/** Makes a throwaway self-signed certificate for 127.0.0.1 with the system's openssl. */
export function makeTestCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function smtpError(reply: string): Error & { responseCode: number } {
  const code = Number(reply.slice(0, 3));
  return Object.assign(new Error(reply.slice(4)), { responseCode: code });
}

/**
 * A real SMTP server (the `smtp-server` package: ESMTP, STARTTLS, AUTH PLAIN/LOGIN) on a loopback
 * port that records every message it accepts.
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpServer> {
  const mails: ReceivedMail[] = [];
  const logins: { user: string; ok: boolean }[] = [];
  const rejections: string[] = [];
  const server = new SMTPServer({
    secure: options.implicitTls === true,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : { disabledCommands: ['STARTTLS'] }),
    ...(options.auth ? { authMethods: ['PLAIN', 'LOGIN'] } : { authOptional: true }),
    ...(options.auth && !options.tls ? { allowInsecureAuth: true } : {}),
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.pass;
      logins.push({ user: auth.username ?? '', ok });
      if (ok) callback(null, { user: auth.username });
      else callback(smtpError('535 5.7.8 authentication failed'));
    },
    onRcptTo(address, _session, callback) {
      const refusal = options.refuseRecipients?.[address.address];
      callback(refusal ? smtpError(refusal) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const rejection = rejections.shift();
        if (rejection) return callback(smtpError(rejection));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    url: `${options.implicitTls ? 'smtps' : 'smtp'}://127.0.0.1:${port}`,
    mails,
    logins,
    rejectNext(line, n = 1) {
      for (let i = 0; i < n; i++) rejections.push(line);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
