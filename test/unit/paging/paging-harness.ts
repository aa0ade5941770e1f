import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createPagingModule } from '../../../handlers/paging/paging-module.ts';
import type { SmtpTarget } from '../../../handlers/paging/smtp-client.ts';
import { alertmanagerGroup } from '../../../sim/scenarios/payloads.ts';
import type { PagingRepo } from '../../../store/paging/paging-repo.ts';
import { openSqlitePagingRepo } from '../../../store/paging/sqlite-paging-repo.ts';
import { startTestBot, type TestBot } from '../../helpers/test-bot.ts';
import { type PagerDutyServer, startPagerDutyServer } from '../../servers/pagerduty.ts';

export const ROUTING_KEY = 'R0123456789ABCDEF0123456789ABCDE';

export interface Replica {
  tick(): Promise<void>;
  close?(): Promise<void>;
}

export interface PagingHarness {
  bot: TestBot;
  pd: PagerDutyServer;
  /** Two paging modules on the bot's database, as two replicas would have. */
  replicas: [Replica, Replica];
  repo: PagingRepo;
  /** Ticks both replicas concurrently, then delivers chat messages. */
  tick(): Promise<void>;
  threadTexts(): Promise<string[]>;
  stop(): Promise<void>;
}

/** An Alertmanager group that classifies as the given severity (critical → P1, warning → P2, info → P3). */
export function alertGroup(name: string, severity: string, status: 'firing' | 'resolved' = 'firing') {
  return alertmanagerGroup({ alertname: name }, [
    {
      status,
      startsAt: '2026-11-28T09:00:00.000Z',
      labels: { alertname: name, severity, cluster: 'aks-gpu-01', namespace: 'ml' },
      annotations: { summary: `${name} summary` },
    },
  ]);
}

/**
 * The real bot with PagerDuty pointed at a local server and a paging policy. The bot's own paging
 * module ticks on its 15 s timer (harmless: claims keep it exactly-once); tests drive two more.
 */
export async function startPagingHarness(
  paging: Record<string, unknown> = {},
  options: { smtp?: SmtpTarget; pagerDutyDelayMs?: number; noPagerDuty?: boolean } = {},
): Promise<PagingHarness> {
  const pd = await startPagerDutyServer({ delayMs: options.pagerDutyDelayMs });
  const policyDir = mkdtempSync(join(tmpdir(), 'paging-policy-'));
  const policyFile = join(policyDir, 'policy.yaml');
  writeFileSync(policyFile, stringify({ timeZone: 'Europe/Amsterdam', paging }));
  const bot = await startTestBot({
    PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
    PAGERDUTY_EVENTS_URL: pd.url,
    POLICY_FILE: policyFile,
  });
  const dbPath = join(bot.dataDir, 'bot.db');
  const make = () =>
    createPagingModule({
      repo: openSqlitePagingRepo(dbPath),
      policy: bot.config.policy.paging,
      timeZone: bot.config.policy.timeZone,
      pagerDuty: options.noPagerDuty ? undefined : { routingKey: ROUTING_KEY, eventsUrl: pd.url },
      publicUrl: undefined,
      smtp: options.smtp,
      store: bot.store,
      targets: [{ surface: 'console', channel: bot.config.consoleChannel }],
      clock: bot.clock,
      logger: bot.logger,
      onQueued: () => undefined,
      backoff: { baseMs: 5_000, maxMs: 300_000, random: () => 0.5 },
    });
  const replicas = [make(), make()] as [ReturnType<typeof make>, ReturnType<typeof make>];
  const repo = openSqlitePagingRepo(dbPath);
  return {
    bot,
    pd,
    replicas,
    repo,
    async tick() {
      await Promise.all(replicas.map((r) => r.tick()));
      await bot.flush();
    },
    async threadTexts() {
      return (await bot.consoleMessages()).map((m) => `${m.text} ${JSON.stringify(m.card ?? '')}`);
    },
    async stop() {
      for (const r of replicas) await r.close?.();
      await repo.close();
      await bot.stop();
      await pd.close();
    },
  };
}
