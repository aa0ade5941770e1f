import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Upper bounds on what one webhook body may contain. They sit well above anything a real sender
 * produces (Azure caps a whole alert at 256 KB; an Alertmanager group with `max_alerts: 0` has no
 * bound, so 50,000 alerts are accepted) and keep a hostile body from multiplying memory.
 */
export const LIMITS = {
  alertsPerPayload: 50_000,
  mapEntries: 256,
  keyLength: 256,
  valueLength: 16_384,
  urlLength: 16_384,
  queryLength: 65_536,
  listItems: 1000,
  criteria: 64,
} as const;

/** A label or annotation map as senders send it: string keys, string values, bounded. */
export const stringMap = z
  .record(z.string().max(LIMITS.keyLength), z.string().max(LIMITS.valueLength))
  .refine((m) => Object.keys(m).length <= LIMITS.mapEntries, {
    message: `must have at most ${LIMITS.mapEntries} entries`,
  });

/** A scalar as Azure puts it in dimensions and event rows; kept as text. */
export const scalarText = z
  .union([z.string().max(LIMITS.valueLength), z.number(), z.boolean(), z.null()])
  .transform((v) => (v === null ? '' : String(v)));

/** A URL-ish string; whether it is a usable link is decided later, so a bad link never rejects an alert. */
export const urlText = z.string().max(LIMITS.urlLength);

/** Cuts text to `max` characters at a code-point boundary, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/**
 * Keeps an identity within `max` characters without losing uniqueness or stability: an over-long
 * identity is replaced by its SHA-256, which is the same for every delivery of the same value.
 */
export function boundIdentity(id: string, max: number): string {
  if (id.length <= max) return id;
  return `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/** A stable 16-hex-digit identity for a label set, for senders that leave the fingerprint out. */
export function fingerprintLabels(labels: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(labels).sort()) hash.update(`${key}\u0000${labels[key]}\u0000`);
  return hash.digest('hex').slice(0, 16);
}
