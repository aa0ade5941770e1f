/**
 * JSON text with object keys sorted, so equal values always give the same text (and hash).
 *
 * Object members whose value is `undefined` are left out, as `JSON.stringify` leaves them out:
 * a value stored as JSON and read back then has the same text as before it was stored, which is
 * what binds an approval to a plan (and a pod template to its hash). In arrays, `undefined` is
 * `null`, as in JSON.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
