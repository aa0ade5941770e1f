import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

async function readyz(bot: TestBot): Promise<{ status: number; body: { checks: { store: string } } }> {
  const res = await fetch(`${bot.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: { store: string } } };
}

async function adminQuery(url: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('/readyz: ready means the store can commit', () => {
  let bot: TestBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('on SQLite: 503 naming the store while another process holds the write lock; /healthz stays 200', async () => {
    bot = await startTestBot();
    expect((await readyz(bot)).status).toBe(200);
    // Reads still work, commits cannot: what a full disk does to intake.
    const other = new Database(join(bot.dataDir, 'bot.db'));
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      bot.clock.advance(1000);
      const { status, body } = await readyz(bot);
      expect(status).toBe(503);
      expect(body.checks.store).toMatch(/^unavailable: /);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    // The failure is cached for the probe's lifetime, then the next probe commits again.
    expect((await readyz(bot)).status).toBe(503);
    bot.clock.advance(1000);
    expect((await readyz(bot)).status).toBe(200);
  }, 30_000);

  describe('on PostgreSQL', () => {
    let db: TestDatabase | undefined;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => db?.drop());

    it('503 while the database is read-only (intake 503 too); /healthz stays 200', async (ctx) => {
      if (!db) return ctx.skip();
      bot = await startTestBot({ DATABASE_URL: db.url });
      expect((await readyz(bot)).status).toBe(200);
      await adminQuery(
        db.url,
        `ALTER DATABASE ${db.name} SET default_transaction_read_only = on;
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = '${db.name}' AND pid <> pg_backend_pid()`,
      );
      try {
        bot.clock.advance(1000);
        // The first probe may meet a connection the server just closed; either way not ready.
        expect((await readyz(bot)).status).toBe(503);
        bot.clock.advance(1000);
        const { status, body } = await readyz(bot);
        expect(status).toBe(503);
        expect(body.checks.store).toMatch(/read-only/);
        expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
        expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(503);
      } finally {
        await adminQuery(
          db.url,
          'SET default_transaction_read_only = off',
          `ALTER DATABASE ${db.name} RESET default_transaction_read_only`,
        );
      }
    }, 30_000);
  });
});
