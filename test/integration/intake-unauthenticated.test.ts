import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBot, TEST_TOKEN, type TestBot } from '../helpers/test-bot.ts';

const MiB = 1024 * 1024;

/**
 * Starts a POST declaring a `declared`-byte body, sends only its first MiB and resolves with the
 * response: a server that buffered the body before answering would never answer (the test times
 * out), one that checks the headers first answers while the client is still sending.
 */
function postFirstMiB(
  url: string,
  path: string,
  headers: Record<string, string>,
  declared: number,
): Promise<{ status: number; sent: number; body: string }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(declared), ...headers },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, sent, body });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      // The server may close the socket after answering; only a failure before the answer counts.
      if (!req.destroyed) reject(err);
    });
    const chunk = Buffer.alloc(MiB, 0x20);
    req.write(chunk);
    sent += chunk.length;
  });
}

describe('intake refuses an unauthenticated request before reading its body', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot({ GRAFANA_HMAC_SECRET: 'grafana-hmac-secret-0123456789abcdef' });
  });
  afterEach(async () => bot.stop());

  it('answers 401 to a 60 MiB POST without a token while only 1 MiB of it was sent', async () => {
    const res = await postFirstMiB(bot.url, '/api/alerts/alertmanager', {}, 60 * MiB);
    expect(res.status).toBe(401);
    expect(res.sent).toBe(MiB);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('answers 401 to a wrong token, and to Grafana without its signature header, before the body', async () => {
    const wrong = await postFirstMiB(
      bot.url,
      '/api/alerts/azure-monitor',
      { authorization: 'Bearer nope' },
      60 * MiB,
    );
    expect(wrong.status).toBe(401);
    const unsigned = await postFirstMiB(
      bot.url,
      '/api/alerts/grafana',
      { authorization: `Bearer ${TEST_TOKEN}` },
      60 * MiB,
    );
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatch(/signature/);
  });
});
