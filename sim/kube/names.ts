import { createHash } from 'node:crypto';

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** A short name suffix from a hash, in the alphabet Kubernetes uses for generated names. */
export function safeSuffix(input: string, length: number): string {
  const digest = createHash('sha256').update(input).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(digest[i] ?? 0) % alphabet.length];
  return out;
}
