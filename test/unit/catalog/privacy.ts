/** Columns that identify a person or their address; a non-private query must not return them. */
export const IDENTIFYING_COLUMNS = new Set([
  'ClientIP',
  'UserId',
  'UserAuthenticatedId',
  'UserAccountId',
  'SessionId',
  'ClientCity',
  'ClientStateOrProvince',
]);

/** The identifying columns of a result shape, case-insensitively (aliases like `userid` count too). */
export function identifyingColumns(columns: readonly { name: string }[]): string[] {
  const lower = new Set([...IDENTIFYING_COLUMNS].map((c) => c.toLowerCase()));
  return columns.map((c) => c.name).filter((n) => lower.has(n.toLowerCase()));
}

/** Queries that would post identifying columns to a channel: `<id>: <columns>` for each non-private one. */
export function privacyViolations(
  queries: readonly { id: string; private: boolean; columns: readonly { name: string }[] }[],
): string[] {
  return queries
    .filter((q) => !q.private && identifyingColumns(q.columns).length > 0)
    .map((q) => `${q.id}: ${identifyingColumns(q.columns).join(', ')}`);
}
