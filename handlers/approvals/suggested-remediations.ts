import { REMEDIATION_VERBS } from '../../cards/templates/remediation-proposal.ts';
import type { Incident } from '../../core/alerts/incident.ts';
import type { MessageAction } from '../../core/message.ts';
import type { StoredAlert } from '../../core/store.ts';
import type { RemediationAction } from '../../remediation/action.ts';
import { type RemediationPolicy, ruleFor, type Suggestion } from '../../remediation/policy.ts';
import { remediationsForReading } from '../../remediation/xid-remediations.ts';
import { xidReadingsByGpu } from '../gpu/alert-xids.ts';

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
 * What the XID knowledge suggests for an ECC or XID incident: per GPU its alerts name, the actions
 * its XIDs read together call for (XID 79: reboot the node; 48 then 63: drain and reset the GPU; 64
 * repeating: file it for replacement). Undefined when the alerts carry no XID, so the policy's
 * suggestions for the kind apply instead.
 */
function xidSuggestions(incident: Incident, alerts: readonly StoredAlert[]): Suggestion[] | undefined {
  if (incident.kind !== 'gpu-xid' && incident.kind !== 'gpu-ecc') return undefined;
  const readings = xidReadingsByGpu(alerts).filter((r) => r.node !== undefined);
  if (readings.length === 0) return undefined;
  const seen = new Set<string>();
  return readings
    .flatMap((r) => remediationsForReading(r.reading, { node: r.node!, gpu: r.gpu }))
    .filter((s) => {
      const key = `${s.action} ${JSON.stringify(s.params)}`;
      return !seen.has(key) && seen.add(key);
    });
}

/** One action an open incident's alerts call for, with its parameters filled in. */
export interface SuggestedRemediation {
  action: RemediationAction;
  params: Record<string, string | number | boolean>;
  /** The button's title. */
  title: string;
}

/**
 * What an open incident calls for: for XIDs, what the XID knowledge calls for (see
 * {@link xidSuggestions}); otherwise the policy maps the incident's kind to actions and parameters
 * and the incident's resource (node, deployment, namespace) fills the gaps. A suggestion whose
 * namespace the guardrails do not allow, or whose action the policy disables, is left out.
 */
export function suggestedRemediations(
  policy: RemediationPolicy,
  actions: readonly RemediationAction[],
  incident: Incident,
  alerts: readonly StoredAlert[] = [],
): SuggestedRemediation[] {
  if (policy.mode === 'off' || incident.status === 'resolved') return [];
  const fromXids = xidSuggestions(incident, alerts);
  const out: SuggestedRemediation[] = [];
  for (const s of fromXids ?? policy.suggestions[incident.kind] ?? []) {
    const action = actions.find((a) => a.id === s.action);
    if (!action || !ruleFor(policy, action.id).enabled) continue;
    const params: Record<string, string | number | boolean> = { ...s.params };
    if (!fromXids) fillFromResource(action.id, params, incident.resource);
    if (action.id === 'cordon-node' && params.node === undefined) continue;
    if (action.id === 'rollback-deployment' && params.deployment === undefined && params.model === undefined)
      continue;
    // A hot GPU held by a training job (ml-train) gets no "Reduce batch size" for a namespace the
    // guardrails keep the bot out of: a card never offers what approving would refuse.
    if (refusedNamespace(action, params, policy) !== undefined) continue;
    out.push({ action, params, title: (s.title ?? `Propose: ${describe(action, params)}`).slice(0, 75) });
  }
  return out;
}

/**
 * The "Propose …" buttons for an open incident's card, one per {@link suggestedRemediations}.
 * Pressing one proposes; nothing runs without approval (or, with `mode: auto`, an earned record).
 */
export function suggestedRemediationActions(
  policy: RemediationPolicy,
  actions: readonly RemediationAction[],
  incident: Incident,
  alerts: readonly StoredAlert[] = [],
): MessageAction[] {
  return suggestedRemediations(policy, actions, incident, alerts).map((s) => ({
    verb: REMEDIATION_VERBS.propose,
    title: s.title,
    style: 'default',
    data: { action: s.action.id, params: JSON.stringify(s.params), incidentId: incident.id },
  }));
}
