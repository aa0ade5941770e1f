import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signChartToken } from '../../cards/charts/chart-token.ts';
import { ManualClock } from '../../core/clock.ts';
import { defaultChartPolicy } from '../../handlers/gpu/chart-policy.ts';
import { startTestBot, type TestBot } from '../helpers/test-bot.ts';

const SECRET = 'chart-load-test-secret-0123456789abcdef';
const DAY = 86_400_000;
const DEFAULT_CHART_QUEUE = defaultChartPolicy();

describe('chart fetches under load, on the real bot in local mode', () => {
  let bot: TestBot;
  const clock = new ManualClock();
  const link = (node: string, rangeMs: number) =>
    `${bot.url}/charts/${signChartToken(
      { v: 1, kind: 'gpu-node', node, rangeMs, end: clock.now(), expiresAt: clock.now() + DAY },
      SECRET,
    )}.png`;

  beforeAll(async () => {
    bot = await startTestBot({ CHART_URL_SECRET: SECRET }, clock, { localPlatform: true });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('answers 50 concurrent fetches of one 7-day chart with the same PNG', async () => {
    const url = link('node-7', 7 * DAY);
    const responses = await Promise.all(Array.from({ length: 50 }, () => fetch(url)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const bodies = await Promise.all(responses.map(async (r) => Buffer.from(await r.arrayBuffer())));
    expect(new Set(bodies.map((b) => b.toString('base64'))).size).toBe(1);
  });

  it('refuses fetches beyond the queue at once with 503 and Retry-After', async () => {
    // Distinct links: nothing cached, nothing shared. More than running + waiting can hold.
    const total = DEFAULT_CHART_QUEUE.concurrency + DEFAULT_CHART_QUEUE.maxWaiting + 10;
    const urls = Array.from({ length: total }, (_, i) => link(`node-${i % 8}`, 3_600_000 + i * 60_000));
    const responses = await Promise.all(urls.map((u) => fetch(u)));
    const statuses = responses.map((r) => r.status);
    const refused = responses.filter((r) => r.status === 503);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(DEFAULT_CHART_QUEUE.concurrency);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    for (const r of refused) {
      expect(r.headers.get('retry-after')).toBe(String(DEFAULT_CHART_QUEUE.maxWait / 1000));
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('CHARTS_BUSY');
    }
  });
});

describe('chart bounds from the policy file', () => {
  let bot: TestBot;
  const clock = new ManualClock();
  const dir = mkdtempSync(join(tmpdir(), 'chart-policy-'));

  beforeAll(async () => {
    const policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, 'charts: { concurrency: 1, maxWaiting: 0, maxWait: 2s }\n');
    bot = await startTestBot({ CHART_URL_SECRET: SECRET, POLICY_FILE: policyFile }, clock, {
      localPlatform: true,
    });
  });
  afterAll(async () => {
    await bot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders one chart at a time with nobody waiting, and tells the others when to come back', async () => {
    const urls = Array.from(
      { length: 6 },
      (_, i) =>
        `${bot.url}/charts/${signChartToken(
          {
            v: 1,
            kind: 'gpu-node',
            node: `node-${i}`,
            rangeMs: 3_600_000,
            end: clock.now(),
            expiresAt: clock.now() + DAY,
          },
          SECRET,
        )}.png`,
    );
    const responses = await Promise.all(urls.map((u) => fetch(u)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    // The defaults (2 at once, 8 waiting) would have rendered all six.
    const refused = responses.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    for (const r of refused) expect(r.headers.get('retry-after')).toBe('2');
  });
});
