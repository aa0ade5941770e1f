import type { Alert } from '../../core/alerts/alert.ts';
import type { AlertPolicy } from '../../core/alerts/alert-policy.ts';
import { matchLabels } from './kinds.ts';

/**
 * The incident an alert belongs to. By default the sender's own grouping (Alertmanager's and
 * Grafana's groupKey, Azure's rule + targets) so a card matches what the sender considers one
 * notification; a policy can group a source by labels instead.
 */
export function groupKeyFor(a: Alert, policy: AlertPolicy): string {
  const by = policy.grouping[a.source]?.by ?? [];
  if (by.length === 0) return `${a.source}|${a.groupKey}`;
  const labels = matchLabels(a);
  return `${a.source}|by:${by.map((name) => `${name}=${JSON.stringify(labels[name] ?? '')}`).join(',')}`;
}
