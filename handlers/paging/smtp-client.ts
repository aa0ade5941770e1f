import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import { DeliveryError } from '../../core/errors.ts';

export interface SmtpTarget {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (smtps://, port 465); otherwise STARTTLS when offered. */
  implicitTls?: boolean;
  /** Refuse to send unless the relay upgrades to TLS (STARTTLS); without it an offer is still taken. */
  requireTls?: boolean;
  /** AUTH PLAIN/LOGIN; the password comes from the environment, never from the policy file. */
  auth?: { user: string; pass: string };
  /** Extra trusted CA (PEM) for a relay with a private certificate. */
  ca?: string;
  /** Name the bot gives itself in EHLO. */
  heloName?: string;
  /** How long to wait for the TCP connection and for the 220 greeting. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
}

export interface Mail {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
}

const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** nodemailer's error fields we read; its message can quote the server, never our password. */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

/**
 * A failure as a {@link DeliveryError}. Everything is retried except a 5xx the relay gave for the
 * message itself (DATA refused for good): a 4xx is a deferral; a network, TLS or timeout failure
 * is transient; an AUTH failure or a refused recipient is usually the relay's configuration
 * (rotated secret, relay rules) that the operator fixes, so the mail waits in the outbox for it,
 * up to its attempt limit, instead of being dropped. The text names the step and the relay's
 * reply only: nodemailer never puts credentials in its errors, and neither do we.
 */
function toDeliveryError(err: SmtpFailure): DeliveryError {
  const reply = err.response ? `: ${err.response.slice(0, 300)}` : '';
  const status = err.responseCode;
  if (err.code === 'EAUTH') return new DeliveryError('SMTP_AUTH_FAILED', `SMTP AUTH refused${reply}`, true);
  if (err.code === 'ETLS')
    return new DeliveryError('SMTP_TLS_FAILED', `SMTP relay could not upgrade to TLS${reply}`, true);
  if (err.code === 'EENVELOPE')
    return new DeliveryError('SMTP_RECIPIENT_REFUSED', `SMTP refused the envelope${reply}`, true);
  if (status !== undefined && status >= 500)
    return new DeliveryError('SMTP_REJECTED', `SMTP ${err.command ?? 'message'}${reply}`, false);
  if (status !== undefined && status >= 400)
    return new DeliveryError('SMTP_DEFERRED', `SMTP ${err.command ?? 'message'}${reply}`, true);
  const what = err.code === 'ETIMEDOUT' ? 'timeout' : 'connection';
  return new DeliveryError('SMTP_UNREACHABLE', `SMTP relay ${what} failed: ${err.code ?? 'error'}`, true);
}

/**
 * Sends one plain-text mail through an SMTP relay with nodemailer: STARTTLS when the relay offers
 * it (required with `requireTls`), implicit TLS for smtps, AUTH when credentials are set. Throws a
 * {@link DeliveryError} that says whether to retry; recipients refused while others were
 * accepted are returned, as the mail did go out.
 */
export async function sendMail(target: SmtpTarget, mail: Mail, date: Date): Promise<{ rejected: string[] }> {
  const transport = createTransport({
    host: target.host,
    port: target.port,
    secure: target.implicitTls === true,
    requireTLS: target.requireTls === true,
    ...(target.auth ? { auth: { user: target.auth.user, pass: target.auth.pass } } : {}),
    name: target.heloName ?? 'oncall-bot.local',
    connectionTimeout: target.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
    greetingTimeout: target.greetingTimeoutMs ?? GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // SNI takes a name, never an address (RFC 6066); the certificate is still checked against it.
    tls: {
      ...(isIP(target.host) ? {} : { servername: target.host }),
      ...(target.ca ? { ca: target.ca } : {}),
    },
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({
      from: mail.from,
      to: [...mail.to],
      subject: mail.subject,
      text: mail.text,
      date,
    });
    return { rejected: (info.rejected ?? []).map(String) };
  } catch (err) {
    throw toDeliveryError(err as SmtpFailure);
  } finally {
    transport.close();
  }
}
