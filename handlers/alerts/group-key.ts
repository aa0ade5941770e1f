import type { Alert } from '../../core/alerts/alert.ts';
import type { AlertPolicy } from '../../core/alerts/alert-policy.ts';
import { matchLabels } from './kinds.ts';

/**
 * The problem key of an alert whose kind is in a problem group and whose resource names every
 * field the group goes by: `problem:gpu-temperature|node="node-7"|gpu="3"`. Not per source: the
 * same hot GPU reported by Alertmanager and Grafana is still one problem.
 */
export function problemKeyFor(a: Alert, policy: AlertPolicy): string | undefined {
  const group = policy.problems.groups.find((g) => g.kinds.includes(a.kind));
  if (!group) return undefined;
  const values = group.by.map((field) => a.resource[field]);
  if (values.some((v) => v === undefined || v === '')) return undefined;
  return `problem:${group.name}|${group.by.map((f, i) => `${f}=${JSON.stringify(values[i])}`).join('|')}`;
}

/**
 * The incident an alert belongs to. An explicit policy grouping of its source wins (labels
 * instead of the sender's group); else alerts about one problem on one resource share a key
 * (warning and critical of one metric on one GPU, which a real Alertmanager sends as separate
 * groups until its inhibit rule applies); else the sender's own grouping (Alertmanager's and
 * Grafana's groupKey, Azure's rule + targets) so a card matches what the sender considers one
 * notification.
 */
export function groupKeyFor(a: Alert, policy: AlertPolicy): string {
  const by = policy.grouping[a.source]?.by ?? [];
  if (by.length === 0) return problemKeyFor(a, policy) ?? `${a.source}|${a.groupKey}`;
  const labels = matchLabels(a);
  return `${a.source}|by:${by.map((name) => `${name}=${JSON.stringify(labels[name] ?? '')}`).join(',')}`;
}
