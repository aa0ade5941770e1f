import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const HOUR = 3_600_000;
/** A postmortem link works for a week: long enough to write the review from it. */
export const POSTMORTEM_LINK_TTL_MS = 7 * 24 * HOUR;

const linkRequest = z.object({
  v: z.literal(1),
  incidentId: z.number().int().positive(),
  expiresAt: z.number().int().nonnegative(),
});
type LinkRequest = z.infer<typeof linkRequest>;

const TOKEN = /^([A-Za-z0-9_-]{8,512})\.([A-Za-z0-9_-]{43})$/;

const sign = (payload: string, secret: string) =>
  createHmac('sha256', secret).update(`postmortem.${payload}`).digest('base64url');

/** `<base64url JSON>.<HMAC>`: the incident and the expiry, signed; any replica with the secret serves it. */
export function signPostmortemLink(incidentId: number, now: number, secret: string): string {
  // Rounded up to the hour, so asking twice within the hour gives the same link.
  const expiresAt = Math.ceil((now + POSTMORTEM_LINK_TTL_MS) / HOUR) * HOUR;
  const payload = Buffer.from(JSON.stringify({ v: 1, incidentId, expiresAt } satisfies LinkRequest)).toString(
    'base64url',
  );
  return `${payload}.${sign(payload, secret)}`;
}

export type PostmortemLinkCheck =
  | { ok: true; incidentId: number }
  | { ok: false; status: 400 | 403 | 410; message: string };

/** Checks the signature (constant time) before reading the payload, then the expiry. */
export function verifyPostmortemLink(token: string, secret: string, now: number): PostmortemLinkCheck {
  const m = TOKEN.exec(token);
  if (!m) return { ok: false, status: 400, message: 'The postmortem link is not valid.' };
  const given = Buffer.from(m[2]!, 'latin1');
  const expected = Buffer.from(sign(m[1]!, secret), 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, status: 403, message: 'The postmortem link was not signed by this bot.' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, status: 400, message: 'The postmortem link is not valid.' };
  }
  const request = linkRequest.safeParse(json);
  if (!request.success) return { ok: false, status: 400, message: 'The postmortem link is not valid.' };
  if (request.data.expiresAt <= now)
    return { ok: false, status: 410, message: 'The postmortem link has expired; ask for /postmortem again.' };
  return { ok: true, incidentId: request.data.incidentId };
}
