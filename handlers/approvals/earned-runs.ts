import type { RemediationService } from '../../remediation/flow/service.ts';
import { ruleFor } from '../../remediation/policy.ts';
import { suggestedRemediations } from './suggested-remediations.ts';

/**
 * `mode: auto`, on every tick: starts an unattended run of each suggestion of an open, unsilenced
 * incident whose action is marked unattended. The run itself checks the freeze, the kill switch
 * and the action's earned record for the incident's alert rule, and runs at most once per
 * incident and action (see remediation/flow/unattended.ts).
 */
export async function startEarnedRuns(service: RemediationService, limit = 100): Promise<void> {
  const { policy, store, actions } = service.deps;
  if (policy.mode !== 'auto') return;
  for (const incident of await store.incidents.listOpen(limit)) {
    if (incident.silenceId !== null) continue;
    const alerts = await store.alerts.listByIncident(incident.id);
    for (const s of suggestedRemediations(policy, actions, incident, alerts))
      if (ruleFor(policy, s.action.id).unattended)
        service.startUnattended({ incident, alerts, actionId: s.action.id, params: s.params });
  }
}
