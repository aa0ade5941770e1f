import type { Policy } from '../../bot/policy.ts';
import type { Alert } from './alert.ts';
import { matchLabels } from './kinds.ts';

/**
 * The incident an alert belongs to. By default the sender's own grouping (Alertmanager's and
 * Grafana's groupKey, Azure's rule + targets) so a card matches what the sender considers one
 * notification; a policy can group a source by labels instead.
 */
export function groupKeyFor(a: Alert, policy: Policy): string {
  const by = policy.grouping[a.source]?.by ?? [];
  if (by.length === 0) return `${a.source}|${a.groupKey}`;
  const labels = matchLabels(a);
  return `${a.source}|by:${by.map((name) => `${name}=${JSON.stringify(labels[name] ?? '')}`).join(',')}`;
}
