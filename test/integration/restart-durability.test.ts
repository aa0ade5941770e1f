import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { alertmanagerGroup } from '../../sim/scenarios/payloads.ts';
import { spawnBot } from '../helpers/bot-process.ts';

const TOKEN = 'restart-test-token-0123456789';

function group(i: number) {
  return alertmanagerGroup({ alertname: 'GpuTemperatureHigh', Hostname: `node-${i % 8}` }, [
    {
      status: 'firing',
      startsAt: '2026-11-28T09:00:00.000Z',
      labels: {
        alertname: 'GpuTemperatureHigh',
        severity: 'warning',
        Hostname: `node-${i % 8}`,
        gpu: String(i),
      },
      annotations: { summary: `GPU ${i} hot` },
    },
  ]);
}

describe('durability across kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oncall-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every alert it answered 2xx for, and carries on after restart', async () => {
    const env = { DATA_DIR: dataDir, ALERT_WEBHOOK_TOKEN: TOKEN };
    const bot = await spawnBot(env);
    const accepted = new Set<string>();
    const send = async (i: number) => {
      try {
        const res = await fetch(`${bot.url}/api/alerts/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(group(i)),
        });
        if (res.status === 202) accepted.add(String(i));
      } catch {
        // connection cut by the kill: the sender would retry; not counted as accepted
      }
    };
    // A steady stream of requests, then a kill -9 while more than a hundred are in flight.
    for (let i = 0; i < 150; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, k) => send(i + k)));
    }
    let killed: Promise<void> | undefined;
    const inflight = Array.from({ length: 250 }, (_, k) =>
      send(150 + k).then(() => {
        if (!killed && accepted.size >= 170) killed = bot.kill9();
      }),
    );
    await Promise.all(inflight);
    await (killed ?? bot.kill9());
    expect(accepted.size).toBeGreaterThanOrEqual(170);
    expect(accepted.size).toBeLessThan(400);

    const db = new Database(join(dataDir, 'bot.db'), { readonly: true });
    const stored = new Set(
      db
        .prepare<[], { body: string }>('SELECT body FROM alerts')
        .all()
        .map((r) => JSON.parse(r.body).labels.gpu as string),
    );
    db.close();
    const lost = [...accepted].filter((gpu) => !stored.has(gpu));
    expect(lost).toEqual([]);

    const again = await spawnBot(env);
    try {
      const res = await fetch(`${again.url}/api/alerts/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(group(1000)),
      });
      expect(res.status).toBe(202);
      // Cards queued before the crash are delivered by the restarted bot.
      await expect
        .poll(
          async () => ((await (await fetch(`${again.url}/api/console/messages`)).json()) as unknown[]).length,
          { timeout: 10_000 },
        )
        .toBeGreaterThanOrEqual(8);
    } finally {
      await again.kill9();
    }
  }, 60_000);
});
