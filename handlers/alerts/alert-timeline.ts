import type { Alert } from '../../core/alerts/alert.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import { BOT_ACTOR } from '../../core/alerts/timeline.ts';
import type { AlertState, Repos } from '../../core/store.ts';

/**
 * An alert's step on its incident's timeline: joining it, firing again in it, or resolving. Not
 * for the alert that opened the incident (its `opened` event) nor a re-fire within the flap window
 * (the incident's `flapping` event). Called in intake's transaction.
 */
export async function recordAlertEvent(
  tx: Repos,
  step: { alert: Alert; prev: AlertState | undefined; incident: Incident; now: number; flapWindow: number },
): Promise<void> {
  const { alert: a, prev, incident, now } = step;
  const flapped = prev?.resolvedAt != null && now - prev.resolvedAt <= step.flapWindow;
  const type =
    a.status === 'resolved'
      ? 'alert-resolved'
      : prev?.incidentId !== incident.id
        ? 'alert-joined'
        : prev?.status === 'resolved' && !flapped
          ? 'alert-fired'
          : undefined;
  if (type === undefined) return;
  const where = a.resource.node || a.resource.deployment || a.resource.pod;
  await tx.timeline.record({
    incidentId: incident.id,
    at: now,
    type,
    actor: BOT_ACTOR,
    actorName: null,
    detail: `${a.rule}${where ? ` on ${where}` : ''} (${a.source})`,
  });
}
