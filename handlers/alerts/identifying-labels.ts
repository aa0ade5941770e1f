import { extractResource } from './intake/resource.ts';

/**
 * The labels that say what an alert is about: its name and the labels its resource was read
 * from (node, GPU, cluster, namespace, deployment, model, app role, Azure resource). Left out are
 * labels that describe the reporting machinery or change between repeats — UUIDs, driver versions,
 * the exporter's pod, namespace and address — so a silence made from them still covers the next
 * alert about the same problem.
 */
export function identifyingLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const resource = extractResource(labels);
  const out: Record<string, string> = {};
  if (labels.alertname !== undefined) out.alertname = labels.alertname;
  for (const [name, value] of Object.entries(labels)) {
    const alone = extractResource({ [name]: value });
    for (const [field, v] of Object.entries(alone) as [keyof typeof resource, string][]) {
      // The pod of a node-level alert is the exporter that reported it, not what it is about.
      if (field === 'pod' && resource.node !== undefined) continue;
      if (resource[field] === v) out[name] = value;
    }
  }
  return out;
}
