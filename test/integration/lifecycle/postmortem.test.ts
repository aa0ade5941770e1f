import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { fixture, startTestBot, type TestBot } from '../../helpers/test-bot.ts';

const T0 = Date.parse('2026-12-08T01:00:00Z');
const MIN = 60_000;

/** The download link on the /postmortem answer. */
function downloadLink(card: unknown): string {
  const m = /"url":"(http[^"]+\/postmortems\/[^"]+)"/.exec(JSON.stringify(card));
  if (!m) throw new Error('no download link on the card');
  return m[1]!;
}

describe('/postmortem: a Markdown draft from the records, as a signed download', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot({}, new ManualClock(T0));
    await bot.postAlert('alertmanager', fixture('am-gpu-temp-firing.json'));
    await bot.flush();
    bot.clock.advance(2 * MIN);
    await bot.say('/ack INC-1', 'bob');
    await bot.say('/own INC-1', 'bob');
    bot.clock.advance(10 * MIN);
    await bot.say('/resolve INC-1 fans replaced [click](https://evil.example) <!channel>', 'carol');
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('reads well: every part, the same bytes each time, people’s words escaped', async () => {
    const answer = await bot.say('/postmortem INC-1', 'dave');
    expect(answer.text).toContain('INC-1 postmortem draft');
    const url = downloadLink(answer.card);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="INC-1-postmortem.md"');
    const md = await res.text();
    for (const heading of [
      '# Postmortem draft: INC-1',
      '## Summary',
      '## Impact window',
      '## Affected resources',
      '## Timeline',
      '## Evidence snapshots',
      '## Actions and verification',
      '## Open questions',
    ])
      expect(md).toContain(heading);
    expect(md).toContain('- Time to acknowledge: 2m');
    expect(md).toContain('- Time to resolve: 12m');
    expect(md).toContain('- Incident commander: bob');
    expect(md).toContain('node node\\-7');
    expect(md).toContain('resolved by hand by carol');
    // A link or a mention someone typed stays text: no Markdown link, no raw angle brackets.
    expect(md).toContain('\\[click\\]\\(https\\:');
    expect(md).not.toContain('[click](https://evil.example)');
    expect(md).not.toContain('<!channel>');
    expect(md).toContain('did its alerts clear afterwards');
    // Deterministic: the same records give the same document.
    expect(await (await fetch(url)).text()).toBe(md);
  });

  it('refuses a tampered link and an expired one', async () => {
    const url = downloadLink((await bot.say('/postmortem INC-1')).card);
    const tampered = url.replace(
      /\/postmortems\/([^.]+)\.([^/]+)\//,
      (_m, p: string, s: string) => `/postmortems/${p}.${s.slice(0, -2)}AA/`,
    );
    expect((await fetch(tampered)).status).toBe(403);
    bot.clock.advance(8 * 24 * 60 * MIN);
    const expired = await fetch(url);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('ask for /postmortem again');
  });

  it('names an unknown incident in a sentence', async () => {
    expect(JSON.stringify((await bot.say('/postmortem INC-77')).card)).toContain('There is no INC-77');
  });
});
