import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../bot/logger.ts';
import { defaultPolicy } from '../../../bot/policy.ts';
import { ManualClock } from '../../../core/clock.ts';
import type { Store } from '../../../core/store.ts';
import { WorkerPool } from '../../../core/workers/worker-pool.ts';
import { ingestAlerts } from '../../../handlers/alerts/ingest.ts';
import type { BotModule } from '../../../handlers/module.ts';
import { createQueriesModule } from '../../../handlers/queries/queries-module.ts';
import { withCoalescedRuns } from '../../../queries/backends/coalesced-logs.ts';
import { createLocalLogsBackend } from '../../../queries/backends/local-logs.ts';
import { KQL_CATALOG } from '../../../queries/catalog.ts';
import type { QueryResult } from '../../../queries/engine/types.ts';
import type { EvidenceRepo } from '../../../store/evidence/evidence-repo.ts';
import { openSqliteEvidenceRepo } from '../../../store/evidence/sqlite-evidence-repo.ts';
import { openSqliteStore } from '../../../store/sqlite/sqlite-store.ts';
import { parsed } from '../../helpers/alerts.ts';

type Task = { kind: 'echo' | 'hold'; value?: unknown };

/**
 * Evidence queries wait in the engine's line (the local KQL worker threads) when the engines are
 * busy; an incident that resolves meanwhile must take its waiting queries out of the line, or a
 * storm of short-lived incidents keeps the engines busy with evidence nobody will read.
 */
describe('evidence of an incident that resolves while its queries wait for an engine', () => {
  const clock = new ManualClock();
  const targets = [{ surface: 'console' as const, channel: 'oncall' }];
  const throttling = parsed({
    fingerprint: 'fp-429',
    groupKey: '{}:{alertname="AzureOpenAI429Rate"}',
    rule: 'AzureOpenAI429Rate',
    summary: '429 rate above 5 % on gpt-4o',
    labels: { alertname: 'AzureOpenAI429Rate', severity: 'warning', deployment: 'gpt-4o' },
    resource: { deployment: 'gpt-4o' },
  });
  let pool: WorkerPool<Task, unknown>;
  let store: Store;
  let repo: EvidenceRepo;
  let queries: BotModule;
  let held: Int32Array;
  let ran: number;

  beforeEach(() => {
    // One engine thread, taken by somebody else's long query: every evidence query waits.
    pool = new WorkerPool<Task, unknown>({
      entry: new URL('../../fixtures/workers/echo-worker.ts', import.meta.url),
      size: 1,
      name: 'test-engine',
    });
    const gate = new SharedArrayBuffer(4);
    held = new Int32Array(gate);
    pool.run({ kind: 'hold', value: gate }).catch(() => undefined);
    ran = 0;
    const empty: QueryResult = { columns: [], rows: [] };
    const backend = withCoalescedRuns(
      createLocalLogsBackend({
        catalog: KQL_CATALOG,
        runQuery: (_text, onStarted, signal) =>
          pool.run(
            { kind: 'echo', value: empty },
            {
              onStart: () => {
                ran++;
                onStarted();
              },
              ...(signal ? { signal } : {}),
            },
          ) as Promise<QueryResult>,
      }),
    );
    store = openSqliteStore({ path: ':memory:' });
    repo = openSqliteEvidenceRepo(':memory:');
    queries = createQueriesModule({
      backend,
      store,
      targets,
      clock,
      // Closed by the test itself, so that it can still be read once the module has closed.
      evidence: { ...repo, close: async () => {} },
      logger: createLogger({ level: 'silent' }),
      onQueued: () => {},
    });
  });
  afterEach(async () => {
    Atomics.store(held, 0, 1);
    Atomics.notify(held, 0);
    await queries.close?.();
    await pool.close();
    await repo.close();
    await store.close();
  });

  async function openIncidentWaitingForEvidence() {
    const deps = { store, policy: defaultPolicy(), targets, clock };
    const [opened] = (await ingestAlerts(deps, [throttling])).openedIncidentIds;
    const incident = (await store.incidents.get(opened!))!;
    expect(queries.enrichIncidentCard?.(incident, [], clock.now())?.sections?.[0]).toMatchObject({
      kind: 'notice',
      text: expect.stringContaining('running vetted queries'),
    });
    await expect.poll(() => pool.waiting).toBe(1);
    clock.advance(60_000);
    await ingestAlerts(deps, [
      { ...throttling, status: 'resolved', endsAt: new Date(clock.now()).toISOString() },
    ]);
    const resolved = (await store.incidents.get(opened!))!;
    expect(resolved.status).toBe('resolved');
    return resolved;
  }

  it('takes the waiting query out of the line at the next tick, and stores no evidence', async () => {
    const resolved = await openIncidentWaitingForEvidence();
    await queries.tick?.();
    await expect.poll(() => pool.waiting).toBe(0);
    Atomics.store(held, 0, 1);
    Atomics.notify(held, 0);
    await queries.close?.();
    expect(ran).toBe(0);
    expect(await repo.get(resolved.id)).toBeUndefined();
    // The resolved card says nothing of evidence still coming.
    expect(queries.enrichIncidentCard?.(resolved, [], clock.now())).toEqual({});
  });

  it('takes it out as soon as the resolved card is rendered', async () => {
    const resolved = await openIncidentWaitingForEvidence();
    queries.enrichIncidentCard?.(resolved, [], clock.now());
    await expect.poll(() => pool.waiting).toBe(0);
    expect(ran).toBe(0);
  });
});
