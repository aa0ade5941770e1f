import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares secrets in time independent of where they differ (lengths are not secret). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    // Still spend the comparison so a length mismatch is not measurably faster.
    timingSafeEqual(bb, bb);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** True when `Authorization: Bearer <token>` carries the expected token. */
export function checkBearer(header: string | undefined, expected: string): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return !!m && constantTimeEqual(m[1]!, expected);
}

/**
 * Grafana's webhook HMAC: hex(HMAC-SHA256(secret, [timestamp + ":"] + rawBody)). The timestamp
 * is part of the signed text only when Grafana is configured with a timestamp header.
 */
export function checkGrafanaSignature(
  rawBody: Buffer,
  signature: string | undefined,
  secret: string,
  timestamp: string | undefined,
): boolean {
  if (!signature) return false;
  const mac = createHmac('sha256', secret);
  if (timestamp !== undefined) mac.update(`${timestamp}:`);
  mac.update(rawBody);
  return constantTimeEqual(mac.digest('hex'), signature.trim().toLowerCase());
}
