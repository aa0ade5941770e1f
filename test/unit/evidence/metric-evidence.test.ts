import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../core/alerts/incident.ts';
import { ManualClock } from '../../../core/clock.ts';
import { collectEvidence } from '../../../handlers/queries/collect-evidence.ts';
import { evidenceFor } from '../../../handlers/queries/evidence-policy.ts';
import { evidenceSections } from '../../../handlers/queries/evidence-sections.ts';
import { DEFAULT_QUERY_POLICY, withQueryPolicy } from '../../../handlers/queries/query-policy.ts';
import { METRIC_CATALOG } from '../../../queries/azure-metrics/catalog.ts';
import { createAzureMetricsBackend } from '../../../queries/backends/azure-metrics-backend.ts';
import { createSimulatedAzureMetrics } from '../../../sim/telemetry/simulated-azure-metrics.ts';
import { createSimulatedLogsBackend } from '../../../sim/telemetry/simulated-logs.ts';

// The scenario starts now, in the 429 storm on gpt-4o (the PTU deployment of the simulated resource).
const clock = new ManualClock();
const logs = createSimulatedLogsBackend(clock, { historyMs: 86_400_000 });
const metrics = createAzureMetricsBackend(
  createSimulatedAzureMetrics({ clock, startMs: clock.now() }),
  METRIC_CATALOG,
  () => clock.now(),
);
const APP_AND_METRICS = { metrics: true, logSources: ['app-insights' as const] };
/** The incident's evidence over the application's telemetry and the resource's metrics. */
const collectWithMetrics = (incident: Incident) =>
  collectEvidence(
    logs,
    incident,
    evidenceFor(incident, clock.now(), APP_AND_METRICS),
    5_000,
    () => clock.now(),
    {
      metrics,
    },
  );
const throttling = (deployment: string) =>
  ({ id: 9, kind: 'aoai-throttling', resource: { deployment } }) as unknown as Incident;

describe('metric evidence on a 429 incident', () => {
  it('asks the resource’s metrics only where they are configured', () => {
    const without = evidenceFor(throttling('gpt-4o'), clock.now());
    expect(without.map((q) => q.queryId)).toEqual(['throttle-rate']);
    const withMetrics = evidenceFor(throttling('gpt-4o'), clock.now(), APP_AND_METRICS);
    expect(withMetrics.map((q) => [q.source, q.queryId])).toEqual([
      [undefined, 'throttle-rate'],
      ['metrics', 'aoai-requests-by-status'],
      ['metrics', 'aoai-ptu-utilization'],
    ]);
    expect(withMetrics[1]!.params).toMatchObject({ deployment: 'gpt-4o', interval: '5m' });
  });

  it('shows the resource’s 429 share and its PTU saturation beside the application’s throttle rate', async () => {
    const incident = throttling('gpt-4o');
    const evidence = await collectWithMetrics(incident);
    const [kql, status, ptu] = evidence.items;
    expect(kql?.outcome.status).toBe('ok');
    expect(status?.title).toBe('Azure OpenAI requests by status code');
    if (status?.outcome.status !== 'ok') throw new Error('requests by status should answer');
    expect(status.outcome.rows.some((r) => r[2] === '429')).toBe(true);
    if (ptu?.outcome.status !== 'ok') throw new Error('PTU utilisation should answer');
    expect(ptu.outcome.headline?.text).toMatch(
      /^Peak utilisation 100\.0% on gpt-4o .* above the 90\.0% threshold$/,
    );
  });

  it('says a standard deployment has no PTU series instead of "nothing matched"', async () => {
    const incident = throttling('gpt-4o-mini');
    const evidence = await collectWithMetrics(incident);
    const ptu = evidence.items.find((i) => i.queryId === 'aoai-ptu-utilization')!;
    if (ptu.outcome.status !== 'ok') throw new Error('PTU utilisation should answer');
    expect(ptu.outcome.rows).toEqual([]);
    const texts = evidenceSections({ ...evidence, items: [ptu] }).map((s) => ('text' in s ? s.text : ''));
    expect(texts.join('\n')).toContain('the deployment is not provisioned');
  });

  it('names a metric query whose source is missing as unavailable, never as empty', async () => {
    const incident = throttling('gpt-4o');
    const evidence = await collectEvidence(
      logs,
      incident,
      [{ source: 'metrics', queryId: 'aoai-ptu-utilization', params: { window: '30m' } }],
      5_000,
      () => clock.now(),
    );
    expect(evidence.items[0]!.outcome).toEqual({
      status: 'unavailable',
      reason: 'Azure Monitor metrics are not configured',
    });
  });

  it('adds the resource’s own log where the workspace has it, and refuses it by name where not', async () => {
    const incident = throttling('gpt-4o');
    const all = { metrics: true, logSources: ['app-insights', 'aoai-diagnostics'] as const };
    const queries = evidenceFor(incident, clock.now(), all);
    expect(queries.map((q) => q.queryId)).toEqual([
      'throttle-rate',
      'aoai-resource-errors',
      'aoai-requests-by-status',
      'aoai-ptu-utilization',
    ]);
    const withLogs = withQueryPolicy(logs, { ...DEFAULT_QUERY_POLICY, logSources: all.logSources }, () =>
      clock.now(),
    );
    const evidence = await collectEvidence(withLogs, incident, queries, 5_000, () => clock.now(), {
      metrics,
    });
    const resource = evidence.items.find((i) => i.queryId === 'aoai-resource-errors')!;
    if (resource.outcome.status !== 'ok') throw new Error('the resource log should answer');
    expect(resource.outcome.headline?.text).toMatch(
      /^Resource throttle rate [\d.]+% on gpt-4o .* above the 5\.00% threshold$/,
    );

    const appOnly = withQueryPolicy(logs, DEFAULT_QUERY_POLICY, () => clock.now());
    await expect(appOnly.run('aoai-resource-errors', {})).rejects.toThrow(
      /aoai-resource-errors reads aoai-diagnostics logs, which this workspace does not have: turn on a diagnostic setting/,
    );
  });
});
