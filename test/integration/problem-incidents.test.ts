import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const MIN = 60_000;

/**
 * One notification as a real Alertmanager sends it with the shipped alertmanager.yml
 * (group_by alertname, host, gpu): each rule of one GPU is a group of its own, so the warning and
 * the critical alert arrive as two groups until the inhibit rule applies.
 */
function amGroup(
  rule: 'GpuTemperatureHigh' | 'GpuTemperatureCritical',
  status: 'firing' | 'resolved',
  startsAt: number,
  endsAt?: number,
) {
  const critical = rule === 'GpuTemperatureCritical';
  const labels = {
    alertname: rule,
    kind: 'gpu-temperature',
    tier: critical ? 'P2' : 'P3',
    severity: critical ? 'critical' : 'warning',
    Hostname: 'node-7',
    gpu: '3',
    UUID: 'GPU-5c3e0b1a-7f41-4d2e-9a61-0c8d2b7e4f13',
    instance: '10.244.2.7:9400',
    job: 'dcgm-exporter',
  };
  const groupLabels = { alertname: rule, Hostname: 'node-7', gpu: '3' };
  return {
    receiver: 'chatops-bot',
    status,
    alerts: [
      {
        status,
        labels,
        annotations: {
          summary: `GPU 3 on node-7 is at ${critical ? 86 : 80} °C (above ${critical ? 83 : 78} °C)`,
        },
        startsAt: new Date(startsAt).toISOString(),
        endsAt: endsAt ? new Date(endsAt).toISOString() : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=DCGM_FI_DEV_GPU_TEMP',
        fingerprint: critical ? '8c1f0a2b3d4e5f60' : '1a2b3c4d5e6f7081',
      },
    ],
    groupLabels,
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{alertname="${rule}", Hostname="node-7", gpu="3"}`,
    truncatedAlerts: 0,
  };
}

/** A policy file with the given YAML, for POLICY_FILE. */
function policyFile(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'problem-policy-')), 'policy.yml');
  writeFileSync(path, yaml);
  return path;
}

describe('one incident per problem: warning and critical of one GPU', () => {
  let bot: TestBot;
  const cards = async () => (await bot.consoleMessages()).filter((m) => m.card && m.threadId === null);
  const send = async (body: unknown) => {
    expect((await bot.postAlert('alertmanager', body)).status).toBeLessThan(300);
    await bot.flush();
  };

  afterEach(async () => {
    await bot?.stop();
  });

  describe('with the default policy', () => {
    beforeEach(async () => {
      bot = await startTestBot({}, new ManualClock(T0 + MIN));
    });

    it('joins them into one card that escalates to the critical tier and steps back down', async () => {
      await send(amGroup('GpuTemperatureHigh', 'firing', T0));
      const [first] = await cards();
      expect(first!.text).toContain('P3');
      expect(first!.text).toContain('above 78 °C');

      bot.clock.advance(2 * MIN);
      await send(amGroup('GpuTemperatureCritical', 'firing', T0 + 2 * MIN));
      const escalated = await cards();
      expect(escalated).toHaveLength(1);
      expect(escalated[0]!.id).toBe(first!.id);
      expect(escalated[0]!.text).toContain('P2');
      expect(escalated[0]!.text).toContain('above 83 °C');
      expect(JSON.stringify(escalated[0]!.card)).toContain('2 firing of 2');
      const [incident] = await bot.store.incidents.listOpen(10);
      expect(incident).toMatchObject({ id: 1, tier: 'P2', kind: 'gpu-temperature' });
      expect(incident!.groupKey).toBe('problem:gpu-temperature|node="node-7"|gpu="3"');

      // The GPU cools below 83 °C but stays above 78 °C: only the warning fires.
      bot.clock.advance(5 * MIN);
      await send(amGroup('GpuTemperatureCritical', 'resolved', T0 + 2 * MIN, T0 + 7 * MIN));
      const stepped = await cards();
      expect(stepped).toHaveLength(1);
      expect(stepped[0]!.text).toContain('P3');
      expect(stepped[0]!.text).toContain('FIRING');
      expect(stepped[0]!.text).toContain('above 78 °C');
      expect((await bot.store.incidents.get(1))!.tier).toBe('P3');

      bot.clock.advance(5 * MIN);
      await send(amGroup('GpuTemperatureHigh', 'resolved', T0, T0 + 12 * MIN));
      const resolved = await cards();
      expect(resolved).toHaveLength(1);
      expect(resolved[0]!.text).toContain('RESOLVED');
      expect(await bot.store.incidents.get(2)).toBeUndefined();
    }, 30_000);
  });

  describe('configured in the policy', () => {
    it('problems.groups: [] keeps the sender’s groups (two incidents)', async () => {
      bot = await startTestBot(
        { POLICY_FILE: policyFile('problems: { groups: [] }\n') },
        new ManualClock(T0 + MIN),
      );
      await send(amGroup('GpuTemperatureHigh', 'firing', T0));
      await send(amGroup('GpuTemperatureCritical', 'firing', T0 + 2 * MIN));
      expect(await cards()).toHaveLength(2);
    }, 30_000);

    it('problems.tierFollows: worst keeps the worst tier after the critical alert resolved', async () => {
      bot = await startTestBot(
        { POLICY_FILE: policyFile('problems: { tierFollows: worst }\n') },
        new ManualClock(T0 + MIN),
      );
      await send(amGroup('GpuTemperatureHigh', 'firing', T0));
      await send(amGroup('GpuTemperatureCritical', 'firing', T0 + 2 * MIN));
      await send(amGroup('GpuTemperatureCritical', 'resolved', T0 + 2 * MIN, T0 + 7 * MIN));
      const [card, ...others] = await cards();
      expect(others).toHaveLength(0);
      expect(card!.text).toContain('P2');
    }, 30_000);
  });
});
