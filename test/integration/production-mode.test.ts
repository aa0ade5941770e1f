import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { fixture, startTestBot, type TestBot } from '../helpers/test-bot.ts';

describe('production mode', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ BOT_MODE: 'production' });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('has no console: its page and unauthenticated API are not served', async () => {
    expect((await fetch(`${bot.url}/`)).status).toBe(404);
    expect((await fetch(`${bot.url}/api/console/messages`)).status).toBe(404);
    const post = await fetch(`${bot.url}/api/console/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'mallory', text: '/ack INC-1' }),
    });
    expect(post.status).toBe(404);
  });

  it('refuses to start with CONSOLE=on unless it listens on loopback, and says how to fix it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: {
        ...process.env,
        BOT_MODE: 'production',
        ALERT_WEBHOOK_TOKEN: 'a'.repeat(32),
        CONSOLE: 'on',
        HOST: '0.0.0.0',
        PORT: '0',
        SIM: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => (stdout += String(d)));
    // A bot that (wrongly) starts is ended here rather than left listening.
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code] = await once(child, 'exit');
    clearTimeout(kill);
    expect(code).toBe(2);
    expect(stderr).toMatch(/CONSOLE: .*no authentication.*HOST is "0\.0\.0\.0".*Set HOST=127\.0\.0\.1/);
    expect(stdout).not.toContain('on-call bot started');
  }, 30_000);

  it('still takes alerts with the bearer token', async () => {
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(202);
    expect(await bot.store.alerts.count()).toBe(1);
  });
});

describe('DATABASE_URL: the bot on PostgreSQL', async () => {
  const db: TestDatabase | undefined = await createTestDatabase();
  let bot: TestBot;
  beforeAll(async () => {
    // DATABASE_URL means production mode; the console is switched on to watch the cards.
    if (db) bot = await startTestBot({ DATABASE_URL: db.url, CONSOLE: 'on' });
  });
  afterAll(async () => {
    await bot?.stop();
    await db?.drop();
  });

  it.runIf(db)('stores alerts and posts cards through PostgreSQL', async () => {
    expect(bot.store.engine).toBe('postgres');
    expect((await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'))).status).toBe(202);
    await bot.flush();
    expect(await bot.store.alerts.count()).toBe(1);
    expect((await bot.consoleMessages())[0]?.text).toContain('[P2 FIRING]');
  });
});
