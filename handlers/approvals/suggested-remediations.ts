import { REMEDIATION_VERBS } from '../../cards/templates/remediation-proposal.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import type { MessageAction } from '../../core/message.ts';
import type { RemediationAction } from '../../remediation/action.ts';
import type { RemediationPolicy } from '../../remediation/policy.ts';

/** Parameters an incident's resource can fill in when the suggestion leaves them out. */
const FROM_RESOURCE = ['namespace', 'deployment', 'node'] as const;

/**
 * A model's alert names the model, its version and its Azure OpenAI deployment; the rollback
 * finds the Kubernetes Deployment serving that model and leaves that version, so the button
 * targets what the alert is about. Without a model, the resource's deployment is the workload.
 */
function rollbackFromResource(resource: Incident['resource']): Record<string, string> {
  if (!resource.model) return resource.deployment ? { deployment: resource.deployment } : {};
  return {
    model: resource.model,
    ...(resource.modelVersion ? { modelVersion: resource.modelVersion } : {}),
  };
}

function fillFromResource(
  actionId: string,
  params: Record<string, string | number | boolean>,
  resource: Incident['resource'],
): void {
  const keys = actionId === 'rollback-deployment' ? ['namespace'] : FROM_RESOURCE;
  for (const key of keys) {
    const value = resource[key as (typeof FROM_RESOURCE)[number]];
    if (params[key] === undefined && value) params[key] = value;
  }
  if (actionId === 'rollback-deployment' && params.deployment === undefined && params.model === undefined)
    Object.assign(params, rollbackFromResource(resource));
}

/**
 * The namespace a suggestion's plan would act in (its own, the resource's, else the action's
 * default), when that is outside the guardrails: such a button could only ever be refused.
 */
function refusedNamespace(
  action: RemediationAction,
  params: Record<string, string | number | boolean>,
  policy: RemediationPolicy,
): string | undefined {
  const parsed = action.params.safeParse(params);
  const namespace = parsed.success ? (parsed.data as { namespace?: unknown }).namespace : params.namespace;
  return typeof namespace === 'string' && !policy.guardrails.namespaces.includes(namespace)
    ? namespace
    : undefined;
}

/** "Roll back gpt-4o 2024-11-20": a model rollback says what it leaves; other actions their title. */
function describe(action: RemediationAction, params: Record<string, string | number | boolean>): string {
  if (action.id !== 'rollback-deployment' || params.model === undefined) return action.title;
  return `Roll back ${params.model}${params.modelVersion === undefined ? '' : ` ${params.modelVersion}`}`;
}

/**
 * The "Propose …" buttons for an open incident's card: the policy maps the incident's kind to
 * actions and parameters; the incident's resource (node, deployment, namespace) fills the gaps.
 * A suggestion whose namespace the guardrails do not allow is left out. Pressing one proposes;
 * nothing runs without approval.
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
    fillFromResource(action.id, params, incident.resource);
    if (action.id === 'cordon-node' && params.node === undefined) continue;
    if (action.id === 'rollback-deployment' && params.deployment === undefined && params.model === undefined)
      continue;
    // A hot GPU held by a training job (ml-train) gets no "Reduce batch size" for a namespace the
    // guardrails keep the bot out of: a card never offers what approving would refuse.
    if (refusedNamespace(action, params, policy) !== undefined) continue;
    out.push({
      verb: REMEDIATION_VERBS.propose,
      title: (s.title ?? `Propose: ${describe(action, params)}`).slice(0, 75),
      style: 'default',
      data: { action: action.id, params: JSON.stringify(params), incidentId: incident.id },
    });
  }
  return out;
}
