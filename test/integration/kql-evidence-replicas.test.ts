import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import type { EvidenceRepo } from '../../store/evidence/evidence-repo.ts';
import { openPostgresEvidenceRepo } from '../../store/evidence/postgres-evidence-repo.ts';
import { throttleAlert } from '../helpers/alerts.ts';
import { cardTables } from '../helpers/card-tables.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { type ConsoleApiMessage, startTestBot, type TestBot } from '../helpers/test-bot.ts';

// Decided at collection time so that a machine without PostgreSQL skips (CI fails instead).
const db: TestDatabase | undefined = await createTestDatabase();

/** Bound on the first collection of a fresh bot, which waits for the local engine's first build. */
const FIRST_BUILD_MS = 45_000;

/** Evidence collections a bot logged (one per incident whose queries it ran). */
const collections = (bot: TestBot) =>
  bot.logs.filter((l) => l.includes('"incident evidence collected"')).map((l) => JSON.parse(l).incidentId);

describe.skipIf(!db)('two replicas on one PostgreSQL database share incident evidence', () => {
  const clock = new ManualClock();
  let a: TestBot;
  let b: TestBot;
  let repo: EvidenceRepo;
  // Local mode for the simulated logs backend; DATABASE_URL for the shared store.
  const env = () => ({ DATABASE_URL: db!.url, BOT_MODE: 'local', CONSOLE: 'on' });

  /** The incident card whose text (title, description, facts) matches `what`. */
  const cardOf = async (bot: TestBot, what: RegExp): Promise<ConsoleApiMessage | undefined> =>
    (await bot.consoleMessages()).find((m) => m.card && what.test(JSON.stringify(m.card)));

  beforeAll(async () => {
    a = await startTestBot(env(), clock, { localPlatform: true });
    b = await startTestBot(env(), clock, { localPlatform: true });
    repo = await openPostgresEvidenceRepo({ connectionString: db!.url, poolSize: 1 });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await repo?.close();
    await db?.drop();
  });

  it(
    'collects once on the replica that got the alert; a card rendered by the other shows it',
    async () => {
      expect(a.store.engine).toBe('postgres');
      expect((await a.postAlert('azure-monitor', throttleAlert('gpt-4o', '11', clock.now()))).status).toBe(
        202,
      );
      await a.flush(); // A renders the first card and starts collecting
      // The first evidence of a fresh bot waits for its KQL workers to build seven days of simulated
      // telemetry (seconds per worker, two bots in this process): a loaded machine needs longer.
      await vi.waitFor(() => expect(collections(a)).toHaveLength(1), {
        timeout: FIRST_BUILD_MS,
        interval: 20,
      });
      const [incidentId] = collections(a);

      // B delivers the update A queued (and ticks as every replica does): B never runs the queries.
      await b.tick();
      await vi.waitFor(
        async () => {
          await b.flush();
          expect(JSON.stringify((await cardOf(b, /429/))?.card)).toContain(
            'Evidence: HTTP 429 throttle rate',
          );
        },
        { timeout: 15_000, interval: 20 },
      );
      await a.tick();
      await b.tick();
      expect(collections(a)).toEqual([incidentId]);
      expect(collections(b)).toEqual([]);

      // B's card carries exactly what A collected.
      const saved = (await repo.listSince(0, 10)).map((s) => s.evidence);
      expect(saved.map((e) => e.incidentId)).toEqual([incidentId]);
      const card = (await cardOf(b, /429/))!;
      const table = cardTables(card.card).find((t) => t[0]?.includes('ThrottleRate (%)'))!;
      const okItem = saved[0]!.items[0]!.outcome;
      if (okItem.status !== 'ok')
        throw new Error(
          `the throttle-rate evidence should have rows: ${JSON.stringify(saved[0]!.items.map((i) => [i.queryId, i.outcome.status, 'reason' in i.outcome ? i.outcome.reason : '']))}`,
        );
      expect(table[0]).toEqual(okItem.columns);
      expect(table.slice(1)).toEqual(okItem.rows);
    },
    FIRST_BUILD_MS + 30_000,
  );

  it('a replica waits for another’s claim, and takes over once its lease ran out', async () => {
    // A replica (neither of these) claims the next incident and dies before saving.
    const nextId = Math.max(...(await a.store.incidents.listOpen(10)).map((i) => i.id)) + 1;
    expect((await repo.claim(nextId, 'replica-that-died', clock.now(), 30_000)).status).toBe('claimed');

    expect((await a.postAlert('azure-monitor', throttleAlert('gpt-4o-mini', '12', clock.now()))).status).toBe(
      202,
    );
    expect((await a.store.incidents.listOpen(10)).map((i) => i.id)).toContain(nextId);
    await b.flush(); // B renders the card: "running vetted queries", but the claim holds
    await a.tick();
    await b.tick();
    await a.flush();
    await b.flush();
    expect(JSON.stringify((await cardOf(b, /gpt-4o-mini/))?.card)).toContain('running vetted queries');
    expect([...collections(a), ...collections(b)]).not.toContain(nextId);

    clock.advance(30_000); // the lease ran out: the next replica to tick collects, exactly once
    await Promise.all([a.tick(), b.tick()]);
    await vi.waitFor(
      () => expect([...collections(a), ...collections(b)].filter((id) => id === nextId)).toHaveLength(1),
      { timeout: 15_000, interval: 20 },
    );
    await vi.waitFor(
      async () => {
        await a.tick();
        await b.tick();
        await b.flush();
        expect(JSON.stringify((await cardOf(b, /gpt-4o-mini/))?.card)).toMatch(
          /Evidence: HTTP 429 throttle rate \([^)]*deployment=gpt-4o-mini\)/,
        );
      },
      { timeout: 15_000, interval: 20 },
    );
    expect([...collections(a), ...collections(b)].filter((id) => id === nextId)).toHaveLength(1);
  });

  it('a replica that delivers before its tick saw the evidence corrects its card without collecting', async () => {
    expect((await a.postAlert('azure-monitor', throttleAlert('o3-mini', '13', clock.now()))).status).toBe(
      202,
    );
    const incidentId = Math.max(...(await a.store.incidents.listOpen(10)).map((i) => i.id));
    await a.flush();
    await vi.waitFor(() => expect(collections(a)).toContain(incidentId), { timeout: 15_000, interval: 20 });
    // No tick on B: it delivers A's update from a cache without the evidence ("running" again),
    // finds the evidence saved when it asks to collect, and queues the corrected card itself.
    await vi.waitFor(
      async () => {
        await b.flush();
        expect(JSON.stringify((await cardOf(b, /o3-mini/))?.card)).toMatch(
          /Evidence: HTTP 429 throttle rate \([^)]*deployment=o3-mini\)/,
        );
      },
      { timeout: 15_000, interval: 20 },
    );
    expect([...collections(a), ...collections(b)].filter((id) => id === incidentId)).toHaveLength(1);
    expect([...a.logs, ...b.logs].filter((l) => l.includes('"EVIDENCE_FAILED"'))).toEqual([]);
  });
});
