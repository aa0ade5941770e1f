import type { Policy } from '../../bot/policy.ts';
import type { Message } from '../../cards/model.ts';
import { incidentCard } from '../../cards/templates/incident-card.ts';
import type { Repos } from '../../store/store.ts';
import type { Incident } from './incident.ts';

/** Reads an incident and its alerts and renders its card as of now. */
export async function loadIncidentCard(
  repos: Repos,
  incidentId: number,
  policy: Policy,
  now: number,
): Promise<{ incident: Incident; message: Message } | undefined> {
  const incident = await repos.incidents.get(incidentId);
  if (!incident) return undefined;
  const alerts = await repos.alerts.listByIncident(incidentId);
  const message = incidentCard({ incident, alerts, time: { timeZone: policy.timeZone, now } });
  return { incident, message };
}
