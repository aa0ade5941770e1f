import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ManualClock } from '../../../core/clock.ts';
import { createRotationSource } from '../../../handlers/lifecycle/oncall-rotation.ts';
import { createPagingModule, type PagingModule } from '../../../handlers/paging/paging-module.ts';
import { openSqlitePagingRepo } from '../../../store/paging/sqlite-paging-repo.ts';
import { startTestBot, type TestBot } from '../../helpers/test-bot.ts';
import { type PagerDutyServer, startPagerDutyServer } from '../../servers/pagerduty.ts';
import { alertGroup, ROUTING_KEY } from '../../unit/paging/paging-harness.ts';

const T0 = Date.parse('2026-12-08T01:46:00Z');
const MIN = 60_000;

describe('P1 cards say who was paged, and the timeline records the page and the escalation', () => {
  let bot: TestBot;
  let pd: PagerDutyServer;
  let paging: PagingModule;
  beforeEach(async () => {
    pd = await startPagerDutyServer();
    const dir = mkdtempSync(join(tmpdir(), 'paging-timeline-'));
    const policyFile = join(dir, 'policy.yaml');
    writeFileSync(
      policyFile,
      stringify({
        timeZone: 'UTC',
        paging: { escalateAfter: '5m' },
        oncall: {
          rotations: [
            { name: 'primary', members: ['alice', 'erin'], start: '2026-12-07', shiftDays: 7 },
            { name: 'secondary', members: ['bob'], start: '2026-12-07' },
          ],
        },
      }),
    );
    bot = await startTestBot(
      { PAGERDUTY_ROUTING_KEY: ROUTING_KEY, PAGERDUTY_EVENTS_URL: pd.url, POLICY_FILE: policyFile },
      new ManualClock(T0),
    );
    paging = createPagingModule({
      repo: openSqlitePagingRepo(join(bot.dataDir, 'bot.db')),
      policy: bot.config.policy.paging,
      timeZone: 'UTC',
      pagerDuty: { routingKey: ROUTING_KEY, eventsUrl: pd.url },
      publicUrl: undefined,
      store: bot.store,
      targets: [{ surface: 'console', channel: bot.config.consoleChannel }],
      clock: bot.clock,
      logger: bot.logger,
      onQueued: () => undefined,
      oncall: createRotationSource(bot.config.policy.oncall!),
    });
  });
  afterEach(async () => {
    await paging.close?.();
    await bot.stop();
    await pd.close();
  });

  it('paged alice, escalates to bob at 01:51; then escalated to bob', async () => {
    await bot.postAlert('alertmanager', alertGroup('InferenceDown', 'critical'));
    await bot.flush();
    await paging.tick();
    await paging.tick();
    await bot.flush();
    const card = (await bot.consoleMessages()).find((m) => m.card && m.threadId === null)!;
    const shown = JSON.stringify(card.card);
    expect(shown).toContain('Paging');
    expect(shown).toContain('paged alice via PagerDuty · escalates to bob at 01:51 UTC');
    const { events } = await bot.store.timeline.list(1, 50);
    expect(events.filter((e) => e.type === 'paged')).toHaveLength(1);

    bot.clock.advance(5 * MIN);
    await paging.tick();
    await bot.flush();
    const escalated = (await bot.store.timeline.list(1, 50)).events.filter((e) => e.type === 'escalated');
    expect(escalated.map((e) => e.detail)).toEqual(['not acknowledged after 5m: escalated to bob']);
    const updated = (await bot.consoleMessages()).find((m) => m.id === card.id)!;
    expect(JSON.stringify(updated.card)).toContain('escalated to bob');
    const timeline = JSON.stringify((await bot.say('/timeline INC-1')).card);
    expect(timeline).toContain('paged alice via PagerDuty');
    expect(timeline).toContain('escalated');
  });
});
