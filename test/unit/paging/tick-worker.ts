/**
 * A paging replica as its own process, for the cross-process test: opens the bot's database,
 * ticks the paging module `rounds` times as fast as it can, and exits.
 * Usage: node --import tsx tick-worker.ts <db> <events-url> <routing-key> <now-ms> <rounds>
 */

import { createLogger } from '../../../bot/logger.ts';
import { ManualClock } from '../../../core/clock.ts';
import { createPagingModule } from '../../../handlers/paging/paging-module.ts';
import { openSqlitePagingRepo } from '../../../store/paging/sqlite-paging-repo.ts';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';

const [dbPath, eventsUrl, routingKey, nowMs, rounds] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const store = openSqliteStore({ path: dbPath });
const paging = createPagingModule({
  repo: openSqlitePagingRepo(dbPath),
  policy: undefined,
  timeZone: 'UTC',
  pagerDuty: { routingKey, eventsUrl },
  publicUrl: undefined,
  store,
  targets: [{ surface: 'console', channel: 'oncall' }],
  clock: new ManualClock(Number(nowMs)),
  logger: createLogger({ level: 'silent' }),
  onQueued: () => undefined,
});
for (let i = 0; i < Number(rounds); i++) await paging.tick();
await paging.close?.();
await store.close();
