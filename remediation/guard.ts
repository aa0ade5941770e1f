import { z } from 'zod';
import { guardrailBreach } from './errors.ts';
import { type Guardrails, matchesResource } from './policy.ts';

/** A Kubernetes object name (RFC 1123 subdomain, as the API server validates it). */
export const k8sName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes name such as llm-api');

/** Refuses namespaces the policy does not allow. */
export function checkNamespace(g: Guardrails, namespace: string): void {
  if (!g.namespaces.includes(namespace))
    throw guardrailBreach(`namespace "${namespace}" is not one of ${g.namespaces.join(', ')}`);
}

/** Refuses resources (`deployments/llm-api`) that no guardrail pattern allows. */
export function checkResource(g: Guardrails, kind: string, name: string): void {
  const kindName = `${kind}/${name}`;
  if (!g.resources.some((p) => matchesResource(p, kindName)))
    throw guardrailBreach(`${kindName} is not in the allowed resources`);
}
