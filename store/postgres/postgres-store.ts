import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError, StoreUnavailableError } from '../../core/errors.ts';
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
import { type Db, wrapQueryable } from './db.ts';
import { createIncidentRepo } from './incident-repo.ts';
import { createOutboxRepo } from './outbox-repo.ts';
import { openMigratedPool, type PostgresOptions, serializable } from './pool.ts';
import { createSilenceRepo } from './silence-repo.ts';
import { postgresEngine, postgresTxEngine } from './sql-engine.ts';
import { createStormRepo } from './storm-repo.ts';
import { createTimelineRepo } from './timeline-repo.ts';

function createRepos(db: Db): Repos {
  return {
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
}

/**
 * The replicated store: any number of bot processes share one PostgreSQL database. One pool per
 * process serves every module's repositories; the one migration history runs at open (serialised
 * across replicas); each repo method outside `transaction` is one statement on its own connection.
 *
 * Transaction callbacks may run more than once: a conflict with another replica aborts the
 * attempt and runs the callback again from the start (which is why they must only use the repos).
 */
export async function openPostgresStore(options: PostgresOptions): Promise<BotStore> {
  const pool = await openMigratedPool(options);

  const engine = postgresEngine(pool);
  const insideTransaction = new AsyncLocalStorage<true>();
  let closed = false;
  return {
    engine: 'postgres',
    ...createRepos(wrapQueryable(pool)),
    evidence: createEvidenceRepo(engine),
    paging: createPagingRepo(engine),
    remediation: createRemediationRepo(engine),
    inventory: createInventoryRepo(engine),
    slotClaims: createSlotClaims(engine),
    transaction<T>(fn: (tx: TxRepos) => Promise<T>): Promise<T> {
      if (insideTransaction.getStore()) {
        return Promise.reject(
          new AppError('NESTED_TRANSACTION', 'a transaction was started inside another one'),
        );
      }
      return insideTransaction.run(true, () =>
        serializable(pool, (db) =>
          fn({ ...createRepos(db), remediation: createRemediationRepo(postgresTxEngine(db)) }),
        ),
      );
    },
    async probeCommit(at) {
      await serializable(pool, (db) =>
        db.query(
          `INSERT INTO store_heartbeat (id, beat_at) VALUES (1, $1)
           ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at`,
          [at],
        ),
      );
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
      } catch (err) {
        throw new StoreUnavailableError('database unavailable', { cause: err });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
