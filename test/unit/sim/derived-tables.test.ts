import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { DAY, HOUR, MINUTE } from '../../../sim/telemetry/profile.ts';
import { SimulatedTelemetry } from '../../../sim/telemetry/telemetry.ts';

const count = (t: SimulatedTelemetry, table: string) => t.engine.run(`${table} | count`).rows[0]![0];

describe('the tables derived from the simulated requests', () => {
  it('on demand, are built when a query first names them, then kept up to date with the clock', () => {
    const clock = new ManualClock(Date.parse('2026-12-08T10:00:00Z'));
    const telemetry = new SimulatedTelemetry({ clock, historyMs: 6 * HOUR, onDemand: true });
    telemetry.refresh();
    expect(() => count(telemetry, 'AppDependencies')).toThrow(/Unknown table "AppDependencies"/);
    telemetry.refresh('AppRequests | count');
    expect(() => count(telemetry, 'ApiManagementGatewayLogs')).toThrow(/Unknown table/);

    telemetry.refresh('ApiManagementGatewayLlmLog | join ApiManagementGatewayLogs on CorrelationId');
    const gateway = count(telemetry, 'ApiManagementGatewayLogs') as number;
    expect(gateway).toBeGreaterThan(0);
    expect(() => count(telemetry, 'AppMetrics')).toThrow(/Unknown table/);
    // A table's name inside another word does not count.
    telemetry.refresh('print x = "MyAppMetricsTable"');
    expect(() => count(telemetry, 'AppMetrics')).toThrow(/Unknown table/);

    clock.advance(10 * MINUTE);
    telemetry.refresh();
    expect(count(telemetry, 'ApiManagementGatewayLogs') as number).toBeGreaterThan(gateway);
  });

  it('are the same rows built on demand late as built at once, and reach back only their own history', () => {
    const clock = new ManualClock(Date.parse('2026-12-08T10:00:00Z'));
    const options = { clock, historyMs: DAY, derivedHistoryMs: 6 * HOUR, startMs: clock.now() };
    const eager = new SimulatedTelemetry(options);
    const lazy = new SimulatedTelemetry({ ...options, onDemand: true });
    eager.refresh();
    lazy.refresh();
    clock.advance(5 * MINUTE);
    eager.refresh();
    lazy.refresh('AppDependencies | count');
    const q =
      'AppDependencies | summarize n = count(), ms = sum(DurationMs), first = min(TimeGenerated) by Name | order by Name asc';
    expect(lazy.engine.run(q)).toEqual(eager.engine.run(q));
    const first = Date.parse(String(eager.engine.run(q).rows[0]![3]));
    expect(first).toBeGreaterThanOrEqual(clock.now() - 5 * MINUTE - 6 * HOUR - MINUTE);
    expect(count(eager, 'AppRequests') as number).toBeGreaterThan(0);
  });
});
