import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../bot/policy.ts';
import type { IntakeSource, ParsedAlert } from '../../../core/alerts/alert.ts';
import type { Incident } from '../../../core/alerts/incident.ts';
import { classifyAlert } from '../../../handlers/alerts/classify.ts';
import { parseAlertmanager, parseAzureMonitor, parseGrafana } from '../../../handlers/alerts/intake/index.ts';
import { suggestedRemediationActions } from '../../../handlers/approvals/suggested-remediations.ts';
import type { ActionContext } from '../../../remediation/action.ts';
import { ACTIONS } from '../../../remediation/catalog.ts';
import { createKubeClients } from '../../../remediation/executors/kubernetes.ts';
import { parseRemediationPolicy } from '../../../remediation/policy.ts';
import { PLATFORM_NAMESPACES } from '../../../sim/dcgm/placement.ts';
import { aiPlatformIncidents } from '../../../sim/scenarios/ai-platform-incidents.ts';
import { type SimCluster, startSimCluster } from '../kube/harness.ts';

const PARSERS: Record<IntakeSource, (body: unknown) => ParsedAlert[]> = {
  alertmanager: parseAlertmanager,
  'azure-monitor': parseAzureMonitor,
  grafana: parseGrafana,
};

/**
 * The buttons a card offers and the guardrails that judge the plan behind them come from one
 * default policy: with that policy, every "Propose" button of the local story must plan against
 * the simulated cluster without a guardrail refusing it.
 */
describe('suggested remediations and the default guardrails', () => {
  const policy = parseRemediationPolicy({});
  let sim: SimCluster;
  let ctx: ActionContext;
  beforeAll(async () => {
    sim = await startSimCluster();
    ctx = {
      kube: createKubeClients(sim.kubeConfig),
      guardrails: policy.guardrails,
      gpuReset: policy.gpuReset,
      clock: sim.clock,
      sleep: async (ms) => sim.clock.advance(ms),
    };
  });
  afterAll(() => sim.close());

  /** The story's firing alerts as the open incidents their cards are about. */
  function storyIncidents(): Incident[] {
    const steps = aiPlatformIncidents(sim.clock.now());
    return steps.flatMap((step, i) =>
      PARSERS[step.source](step.body)
        .map((p) => classifyAlert(p, defaultPolicy()))
        .filter((a) => a.status === 'firing')
        .map(
          (a) => ({ id: i + 1, kind: a.kind, status: 'open', resource: a.resource }) as unknown as Incident,
        ),
    );
  }

  async function planOf(action: string, params: Record<string, unknown>) {
    const a = ACTIONS.find((x) => x.id === action)!;
    return a.plan(a.params.parse(params), ctx);
  }

  it('offers only buttons whose plans the guardrails accept, across the whole local story', async () => {
    const offered = storyIncidents().flatMap((incident) =>
      suggestedRemediationActions(policy, ACTIONS, incident).map((b) => ({
        kind: incident.kind,
        action: String(b.data.action),
        params: JSON.parse(String(b.data.params)) as Record<string, unknown>,
      })),
    );
    expect(offered.length).toBeGreaterThan(0);
    for (const o of offered) {
      const refused = await planOf(o.action, o.params).then(
        () => undefined,
        (err: { code?: string; message?: string }) => (err.code === 'GUARDRAIL' ? err.message : undefined),
      );
      expect({ ...o, refused }).toEqual({ ...o, refused: undefined });
    }
  });

  it('offers no "Reduce batch size" for a GPU a training job holds (ml-train is outside the guardrails)', () => {
    const hot = storyIncidents().find((i) => i.kind === 'gpu-temperature')!;
    expect(hot.resource.namespace).toBe(PLATFORM_NAMESPACES.training);
    const buttons = suggestedRemediationActions(policy, ACTIONS, hot);
    expect(buttons.map((b) => b.data.action)).not.toContain('reduce-batch-size');
    // The same alert on a GPU that llm-api serves from gets the button, for llm-api in ml.
    const serving = { ...hot, resource: { ...hot.resource, node: 'node-0', gpu: '0', namespace: 'ml' } };
    const [reduce] = suggestedRemediationActions(policy, ACTIONS, serving);
    expect(reduce?.data.action).toBe('reduce-batch-size');
  });

  it('lets plans act on the inference namespace (the vLLM deployments) by default', async () => {
    expect(policy.guardrails.namespaces).toEqual(
      expect.arrayContaining([PLATFORM_NAMESPACES.api, PLATFORM_NAMESPACES.inference]),
    );
    expect(policy.guardrails.namespaces).not.toContain(PLATFORM_NAMESPACES.training);
    const plan = await planOf('scale-replicas', {
      namespace: PLATFORM_NAMESPACES.inference,
      deployment: 'vllm-llama-70b',
      replicas: '3',
    });
    expect(plan.summary).toMatch(/vllm-llama-70b/);
  });
});
