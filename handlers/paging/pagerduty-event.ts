import { z } from 'zod';
import { formatIncidentId, type Incident, incidentStart } from '../../core/alerts/incident.ts';
import type { StoredAlert } from '../../core/store.ts';

/** The parts of a PagerDuty Events API v2 event the bot decides; the routing key is added at send time. */
export const pagerDutyEventBody = z.object({
  event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
  dedup_key: z.string().min(1).max(255),
  payload: z
    .object({
      summary: z.string().min(1).max(1024),
      source: z.string().min(1),
      severity: z.enum(['critical', 'error', 'warning', 'info']),
      timestamp: z.string().optional(),
      component: z.string().optional(),
      group: z.string().optional(),
      class: z.string().optional(),
      custom_details: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  client: z.string().optional(),
  client_url: z.url().optional(),
  links: z.array(z.object({ href: z.url(), text: z.string() })).optional(),
});
export type PagerDutyEventBody = z.infer<typeof pagerDutyEventBody>;

const CLIENT = 'incident-chatops-bot';

/**
 * One PagerDuty incident per bot incident: the key is stable across retries, restarts and
 * replicas, so a repeated trigger only adds to the same PagerDuty alert.
 */
export function pagingDedupKey(installId: string, incidentId: number): string {
  return `oncall-bot:${installId}:${formatIncidentId(incidentId)}`;
}

function sourceOf(i: Incident): string {
  const r = i.resource;
  const path = [r.cluster, r.namespace, r.deployment ?? r.pod].filter(Boolean).join('/');
  return path || r.node || r.azureResourceId || i.source;
}

const LINK_TEXT: Record<string, string> = {
  runbook: 'Runbook',
  generator: 'Alert source',
  portal: 'Alert in Azure',
  dashboard: 'Dashboard',
  panel: 'Panel',
  search: 'Log search',
};

/** The trigger that pages for an incident; `note` marks a re-trigger (escalation). */
export function buildTriggerEvent(
  input: { installId: string; publicUrl: string | undefined; now: number; note?: string },
  incident: Incident,
  alerts: readonly StoredAlert[],
): PagerDutyEventBody {
  const prefix = input.note ? `[${input.note}] ` : '';
  const summary = `${prefix}${incident.tier}: ${incident.title} (${formatIncidentId(incident.id)})`;
  const links = alerts
    .flatMap((a) => a.alert.links)
    .filter((l) => l.kind in LINK_TEXT)
    .slice(0, 5)
    .map((l) => ({ href: l.url, text: LINK_TEXT[l.kind]! }));
  return pagerDutyEventBody.parse({
    event_action: 'trigger',
    dedup_key: pagingDedupKey(input.installId, incident.id),
    payload: {
      summary: summary.slice(0, 1024),
      source: sourceOf(incident).slice(0, 255),
      severity: incident.tier === 'P1' ? 'critical' : incident.tier === 'P2' ? 'error' : 'warning',
      timestamp: new Date(incidentStart(incident)).toISOString(),
      component: incident.resource.model ?? incident.resource.deployment,
      group: incident.resource.namespace ?? incident.resource.cluster,
      class: incident.kind,
      custom_details: {
        incident: formatIncidentId(incident.id),
        tier: incident.tier,
        alertSource: incident.source,
        groupKey: incident.groupKey,
        alerts: alerts.length,
        ...(input.note ? { note: input.note } : {}),
        ...incident.resource,
      },
    },
    client: CLIENT,
    client_url: input.publicUrl,
    links: links.length > 0 ? links : undefined,
  });
}

/** Acknowledge and resolve carry only the key fields. */
export function buildStateEvent(
  action: 'acknowledge' | 'resolve',
  installId: string,
  incidentId: number,
): PagerDutyEventBody {
  return { event_action: action, dedup_key: pagingDedupKey(installId, incidentId) };
}
