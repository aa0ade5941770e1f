import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  alertGroup,
  type PagingHarness,
  ROUTING_KEY,
  startPagingHarness,
} from '../unit/paging/paging-harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INCIDENTS = 12;

async function runReplica(h: PagingHarness, rounds: number): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/unit/paging/tick-worker.ts',
      join(h.bot.dataDir, 'bot.db'),
      h.pd.url,
      ROUTING_KEY,
      String(h.bot.clock.now()),
      String(rounds),
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stderr: string[] = [];
  child.stderr!.on('data', (d) => stderr.push(String(d)));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`replica exited with ${code}: ${stderr.join('')}`);
}

describe('paging across real processes', () => {
  let h: PagingHarness;
  afterEach(async () => {
    await h?.stop();
  });

  it('three processes ticking at once page each P1 exactly once', async () => {
    h = await startPagingHarness({}, { pagerDutyDelayMs: 100 }); // sends overlap the other replicas' claims
    for (let i = 0; i < INCIDENTS; i++) {
      expect((await h.bot.postAlert('alertmanager', alertGroup(`Outage${i}`, 'critical'))).status).toBe(202);
    }
    await h.bot.flush();
    await Promise.all([runReplica(h, 15), runReplica(h, 15), runReplica(h, 15)]);
    const keys = h.pd.accepted().map((e) => String(e.dedup_key));
    expect(keys).toHaveLength(INCIDENTS);
    expect(new Set(keys).size).toBe(INCIDENTS);
    expect((await h.repo.listEvents()).every((e) => e.status === 'sent' && e.attempts === 1)).toBe(true);
  }, 60_000);
});
