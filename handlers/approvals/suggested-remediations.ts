import { REMEDIATION_VERBS } from '../../cards/templates/remediation-proposal.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import type { MessageAction } from '../../core/message.ts';
import type { RemediationAction } from '../../remediation/action.ts';
import type { RemediationPolicy } from '../../remediation/policy.ts';

/** Parameters an incident's resource can fill in when the suggestion leaves them out. */
const FROM_RESOURCE = ['namespace', 'deployment', 'node'] as const;

/**
 * The "Propose …" buttons for an open incident's card: the policy maps the incident's kind to
 * actions and parameters; the incident's resource (node, deployment, namespace) fills the gaps.
 * Pressing one proposes; nothing runs without approval.
 */
export function suggestedRemediationActions(
  policy: RemediationPolicy,
  actions: readonly RemediationAction[],
  incident: Incident,
): MessageAction[] {
  if (policy.mode === 'off' || incident.status === 'resolved') return [];
  const out: MessageAction[] = [];
  for (const s of policy.suggestions[incident.kind] ?? []) {
    const action = actions.find((a) => a.id === s.action);
    if (!action) continue;
    const params: Record<string, string | number | boolean> = { ...s.params };
    for (const key of FROM_RESOURCE) {
      const value = incident.resource[key];
      if (params[key] === undefined && value) params[key] = value;
    }
    if (action.id === 'cordon-node' && params.node === undefined) continue;
    out.push({
      verb: REMEDIATION_VERBS.propose,
      title: (s.title ?? `Propose: ${action.title}`).slice(0, 75),
      style: 'default',
      data: { action: action.id, params: JSON.stringify(params), incidentId: incident.id },
    });
  }
  return out;
}
