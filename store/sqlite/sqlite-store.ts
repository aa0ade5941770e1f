import type { Repos } from '../../core/store.ts';
import type { BotStore, TxRepos } from '../bot-store.ts';
import { createEvidenceRepo } from '../evidence/evidence-store.ts';
import { createInventoryRepo } from '../inventory/inventory-store.ts';
import { createPagingRepo } from '../paging/paging-store.ts';
import { createRemediationRepo } from '../remediation/remediation-store.ts';
import { createSlotClaims } from '../schedule/slot-claims-store.ts';
import { createAlertRepo } from './alert-repo.ts';
import { createChatMessageRepo, createConsoleMessageRepo } from './chat-message-repo.ts';
import { createConversationRepo } from './conversation-repo.ts';
import { openSqliteDatabase, type SqliteOptions, unavailable } from './database.ts';
import { createIncidentRepo } from './incident-repo.ts';
import { createOutboxRepo } from './outbox-repo.ts';
import { createSilenceRepo } from './silence-repo.ts';
import { sqliteEngine, sqliteExecutor, sqliteTxEngine } from './sql-engine.ts';
import { createStormRepo } from './storm-repo.ts';
import { createTimelineRepo } from './timeline-repo.ts';

export type { SqliteOptions } from './database.ts';

/**
 * The embedded store: one SQLite file in WAL mode, one connection that every module's
 * repositories share, serialised transactions.
 */
export function openSqliteStore(options: SqliteOptions): BotStore {
  const database = openSqliteDatabase(options);
  const db = database.connection;
  const repos: Repos = {
    alerts: createAlertRepo(db),
    incidents: createIncidentRepo(db),
    timeline: createTimelineRepo(db),
    silences: createSilenceRepo(db),
    storms: createStormRepo(db),
    outbox: createOutboxRepo(db),
    chatMessages: createChatMessageRepo(db),
    consoleMessages: createConsoleMessageRepo(db),
    conversations: createConversationRepo(db),
  };
  const heartbeat = db.prepare(
    'INSERT INTO store_heartbeat (id, beat_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at',
  );
  const exec = sqliteExecutor(db);
  const engine = sqliteEngine(database, exec);
  const remediation = createRemediationRepo(engine);
  // One connection: inside a transaction the same statements are part of it.
  const txRepos: TxRepos = { ...repos, remediation: createRemediationRepo(sqliteTxEngine(exec)) };
  const transaction = <T>(fn: (tx: TxRepos) => Promise<T>): Promise<T> =>
    database.transaction(() => fn(txRepos));

  return {
    engine: 'sqlite',
    ...repos,
    evidence: createEvidenceRepo(engine),
    paging: createPagingRepo(engine),
    remediation,
    inventory: createInventoryRepo(engine),
    slotClaims: createSlotClaims(engine),
    transaction,
    async probeCommit(at) {
      // Queued like any transaction: on the one connection a bare write would join an open one.
      await database.atomically(() => heartbeat.run(at));
    },
    async ping() {
      try {
        db.prepare('SELECT 1').get();
      } catch (err) {
        unavailable(err);
      }
    },
    close: () => database.close(),
  };
}
