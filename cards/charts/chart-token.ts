import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { nodeName } from '../../queries/gpu/params.ts';

/**
 * What a chart URL asks for. The token carries the whole request, so any replica that shares the
 * secret can re-render the chart from the metrics backend: nothing is stored per chart.
 */
export const chartRequest = z.object({
  /** Token format version: bump to invalidate every outstanding URL on a shape change. */
  v: z.literal(1),
  /** `gpu-node`: utilisation, temperature, memory; `gpu-errors`: XID, ECC and row remapping. */
  kind: z.enum(['gpu-node', 'gpu-errors']),
  node: nodeName,
  gpu: z.number().int().min(0).max(15).optional(),
  /** Look-back in milliseconds, ending at `end`. */
  rangeMs: z
    .number()
    .int()
    .min(5 * 60_000)
    .max(7 * 86_400_000),
  /** End of the charted window, epoch ms. */
  end: z.number().int().nonnegative(),
  /** Epoch ms after which the URL answers 410 Gone. */
  expiresAt: z.number().int().nonnegative(),
  /** An instant drawn on every panel, e.g. when the alert fired. */
  marker: z.object({ at: z.number().int().nonnegative(), label: z.string().min(1).max(40) }).optional(),
});
export type ChartRequest = z.infer<typeof chartRequest>;

export type ChartTokenCheck =
  | { ok: true; request: ChartRequest }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired'; message: string };

const TOKEN = /^([A-Za-z0-9_-]{8,2048})\.([A-Za-z0-9_-]{43})$/;

function sign(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`chart.${payload}`).digest();
}

/** Encodes and signs a chart request: `<base64url JSON>.<base64url HMAC-SHA256>`, URL-safe. */
export function signChartToken(request: ChartRequest, secret: string): string {
  const payload = Buffer.from(JSON.stringify(chartRequest.parse(request)), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, secret).toString('base64url')}`;
}

/**
 * Checks a token's signature (constant time) before reading anything in it, then its expiry.
 * Never throws: the caller maps each reason to an HTTP status.
 */
export function verifyChartToken(token: string, secret: string, now: number): ChartTokenCheck {
  const m = TOKEN.exec(token);
  if (!m) return { ok: false, reason: 'malformed', message: 'The chart link is not valid.' };
  // Compare the encoded text, not decoded bytes: base64url's last character has spare bits, so
  // decoding would accept several spellings of one signature.
  const given = Buffer.from(m[2]!, 'latin1');
  const expected = Buffer.from(sign(m[1]!, secret).toString('base64url'), 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature', message: 'The chart link was not signed by this bot.' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', message: 'The chart link is not valid.' };
  }
  const parsed = chartRequest.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed', message: 'The chart link is not valid.' };
  if (parsed.data.expiresAt <= now) {
    return { ok: false, reason: 'expired', message: 'The chart link has expired; ask for the chart again.' };
  }
  return { ok: true, request: parsed.data };
}
