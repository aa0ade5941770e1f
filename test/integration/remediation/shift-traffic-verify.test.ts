import { CoreV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalLogsBackend } from '../../../queries/backends/local-logs.ts';
import type { LogsBackend } from '../../../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import { KqlEngine } from '../../../queries/engine/engine.ts';
import { APP_REQUESTS } from '../../../queries/engine/table-schemas.ts';
import { judgeThrottle } from '../../../remediation/actions/shift-traffic.ts';
import { createLogsThrottleReader } from '../../../remediation/executors/throttle-rate.ts';
import { alice, bob, type FlowHarness, place, startFlow } from './harness.ts';

const MINUTE = 60_000;
const PER_MINUTE = 200;

/**
 * Azure OpenAI behind the gateway, as Log Analytics sees it: every minute PER_MINUTE requests, of
 * which the primary deployment answers 429 to whatever exceeds its capacity (60% of the traffic).
 * The weights come from the routing ConfigMap in the simulated cluster, read as the minutes pass,
 * so shifting traffic really lowers the 429 rate the vetted query reports.
 */
async function gatewayTelemetry(h: FlowHarness, capacityPercent: number): Promise<LogsBackend> {
  const engine = new KqlEngine({ now: () => h.sim.clock.now() });
  const local = createLocalLogsBackend({ engine, catalog: KQL_CATALOG });
  const core = h.sim.kubeConfig.makeApiClient(CoreV1Api);
  const rows: Record<string, unknown>[] = [];
  let generatedUntil = Math.floor(h.sim.clock.now() / MINUTE) * MINUTE - 30 * MINUTE;

  async function refresh(): Promise<void> {
    const cm = await core.readNamespacedConfigMap({ name: 'aoai-gateway-routing', namespace: 'ml' });
    const weights = JSON.parse(cm.data?.weights ?? '{}') as Record<string, number>;
    const primary = weights[cm.data?.primary ?? ''] ?? 0;
    const throttled = Math.round((PER_MINUTE * Math.max(0, primary - capacityPercent)) / 100);
    const until = Math.floor(h.sim.clock.now() / MINUTE) * MINUTE;
    for (; generatedUntil < until; generatedUntil += MINUTE) {
      for (let i = 0; i < PER_MINUTE; i++) {
        rows.push({
          TimeGenerated: generatedUntil + i * 250,
          Name: 'POST /chat/completions',
          Success: i >= throttled,
          ResultCode: i < throttled ? '429' : '200',
          DurationMs: 100,
          Properties: { deployment: 'gpt-4o' },
          AppRoleName: 'chat-api',
          ItemCount: 1,
        });
      }
    }
    engine.loadRows(APP_REQUESTS, rows);
  }
  const backend: LogsBackend = {
    kind: local.kind,
    catalog: local.catalog,
    async run(id, params, options) {
      await refresh();
      return local.run(id, params, options);
    },
  };
  await refresh(); // the half hour before the shift, at today's weights
  return backend;
}

describe('shift-traffic verifies that the 429 rate drops', () => {
  let h: FlowHarness;
  beforeEach(async () => {
    h = await startFlow();
  });
  afterEach(() => h.close());

  async function shiftAndRun(percent: number) {
    const p = await h.service.propose({
      actionId: 'shift-traffic',
      params: { percent: String(percent) },
      user: alice,
      place,
      incidentId: null,
    });
    await h.service.approve({ proposalId: p.id, planHash: p.planHash, user: bob });
    await h.service.idle();
    return (await h.repo.getProposal(p.id))!;
  }

  it('succeeds once the primary stops throttling after half the traffic moved', async () => {
    const logs = await gatewayTelemetry(h, 60);
    h.deps.throttle = createLogsThrottleReader(logs, h.sim.clock, 'gpt-4o');
    const done = await shiftAndRun(50);
    expect(done.status).toBe('succeeded');
    expect(done.result?.detail).toEqual([
      'gateway weights now gpt-4o-eastus2 50%, gpt-4o-swedencentral 50%',
      expect.stringMatching(/^429 rate 40\.0% → 0\.0% \(\d+ requests since\)$/),
    ]);
  });

  it('fails verification (and offers the rollback) when the shift does not bring 429s down', async () => {
    // The primary is so short of capacity that even half the traffic is throttled just as much.
    const logs = await gatewayTelemetry(h, 0);
    h.deps.throttle = createLogsThrottleReader(logs, h.sim.clock, 'gpt-4o');
    const done = await shiftAndRun(10);
    expect(done.status).toBe('verify-failed');
    expect(done.result?.detail.join('\n')).toMatch(/429 rate 100\.0% → 90\.0% .*not dropping/);
    const events = (await h.repo.readAuditChain()).map((r) => r.event);
    expect(events.slice(-2)).toEqual(['verify-failed', 'rollback-offered']);
  });

  it('only reads back the weights, and says so, without a logs backend', async () => {
    const done = await shiftAndRun(50);
    expect(done.status).toBe('succeeded');
    expect(done.result?.detail).toContain('429 rate not checked: no logs backend configured');
  });

  it('judges the rate: a quarter lower or under 1% passes, no traffic yet waits', () => {
    const before = { requests: 1000, throttled: 100 };
    expect(judgeThrottle(before, { requests: 500, throttled: 37 }).ok).toBe(true);
    expect(judgeThrottle(before, { requests: 500, throttled: 40 }).ok).toBe(false);
    expect(judgeThrottle({ requests: 1000, throttled: 5 }, { requests: 500, throttled: 4 }).ok).toBe(true);
    expect(judgeThrottle(before, { requests: 10, throttled: 0 })).toEqual({
      ok: false,
      detail: ['429 rate was 10.0%; waiting for traffic after the shift'],
    });
    expect(judgeThrottle({ requests: 0, throttled: 0 }, { requests: 500, throttled: 400 }).ok).toBe(true);
  });
});
