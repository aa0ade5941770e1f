import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../../../cards/render/block-kit/schema.ts';
import {
  decodeActionId,
  decodeBlockKitAction,
  MIN_CONTENT_CHARS,
  toBlockKit,
} from '../../../../cards/render/block-kit.ts';
import { AppError } from '../../../../core/errors.ts';
import { buildMessage, type Message, type MessageInput } from '../../../../core/message.ts';

const FIXTURES = new URL('../../../fixtures/messages/', import.meta.url);

function loadFixture(name: string): Message {
  return buildMessage(JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as MessageInput);
}

/** All mrkdwn strings in the rendered blocks. */
function mrkdwnTexts(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.type === 'section') {
      if (b.text) out.push(b.text.text);
      for (const f of b.fields ?? []) out.push(f.text);
    }
    if (b.type === 'context') for (const e of b.elements) out.push(e.text);
  }
  return out;
}

const fixtureNames = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

describe('toBlockKit golden files', () => {
  it('has the representative fixtures', () => {
    expect(fixtureNames).toEqual(
      expect.arrayContaining([
        'huge',
        'incident-p1-firing',
        'incident-p1-resolved',
        'incident-p2-acknowledged',
        'query-result',
        'text-reply',
      ]),
    );
  });

  it.each(fixtureNames)('%s matches its golden rendering', async (name) => {
    const rendered = toBlockKit(loadFixture(name));
    await expect(`${JSON.stringify(rendered, null, 2)}\n`).toMatchFileSnapshot(
      `../../../golden/block-kit/${name}.json`,
    );
  });

  it('huge, with a 40k character budget, matches its golden rendering', async () => {
    const rendered = toBlockKit(loadFixture('huge'), { maxChars: 40_000 });
    await expect(`${JSON.stringify(rendered, null, 2)}\n`).toMatchFileSnapshot(
      '../../../golden/block-kit/huge.budget-40k.json',
    );
  });
});

describe('toBlockKit header and fallback', () => {
  it('shows tier and status as an emoji badge', () => {
    const header = (status: 'firing' | 'resolved' | 'acknowledged', tier: 'P1' | 'P3') =>
      toBlockKit(buildMessage({ header: { title: 'Disk full', tier, status } })).blocks[0];
    expect(header('firing', 'P1')).toMatchObject({
      type: 'header',
      text: { text: ':red_circle: P1 FIRING · Disk full' },
    });
    expect(header('firing', 'P3')).toMatchObject({
      text: { text: ':large_yellow_circle: P3 FIRING · Disk full' },
    });
    expect(header('resolved', 'P1')).toMatchObject({
      text: { text: ':large_green_circle: P1 RESOLVED · Disk full' },
    });
    expect(header('acknowledged', 'P1')).toMatchObject({
      text: { text: ':eyes: P1 ACKNOWLEDGED · Disk full' },
    });
  });

  it('always has an escaped top-level text fallback', () => {
    expect(toBlockKit(buildMessage({})).text).toBe('Message from the on-call bot');
    const out = toBlockKit(
      buildMessage({ header: { title: 'Latency <p95> & errors', tier: 'P2', status: 'firing' } }),
    );
    expect(out.text).toBe('[P2 FIRING] Latency &lt;p95&gt; &amp; errors');
  });

  it('cuts a long title but keeps the badge', () => {
    const out = toBlockKit(
      buildMessage({ header: { title: 'x'.repeat(400), tier: 'P1', status: 'firing' } }),
    );
    const text = out.blocks[0]?.type === 'header' ? out.blocks[0].text.text : '';
    expect(text.length).toBe(150);
    expect(text.startsWith(':red_circle: P1 FIRING · xxx')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('toBlockKit text', () => {
  it('escapes mrkdwn control characters in user text so it cannot ping or link', () => {
    const out = toBlockKit(
      buildMessage({
        facts: [['<!channel>', 'a & b']],
        sections: [
          { kind: 'text', text: 'see <https://evil.example|your bank> & <!here>' },
          { kind: 'notice', tone: 'attention', text: '<@U123> look' },
        ],
      }),
    );
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).not.toMatch(/[<>]/);
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).toContain('see &lt;https://evil.example|your bank&gt; &amp; &lt;!here&gt;');
    expect(texts).toContain(':rotating_light: &lt;@U123&gt; look');
  });

  it('renders links as mrkdwn links with the URL kept intact', () => {
    const out = toBlockKit(
      buildMessage({
        sections: [{ kind: 'links', links: [{ title: 'Board <1>', url: 'https://g.example/d?a=1&b=2' }] }],
      }),
    );
    expect(mrkdwnTexts(out.blocks)).toEqual([':link: <https://g.example/d?a=1&amp;b=2|Board &lt;1&gt;>']);
  });

  it('splits long text over sections and says how much was cut', () => {
    const line = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit & more.';
    const text = Array.from({ length: 400 }, (_, i) => `${i} ${line}`).join('\n');
    const out = toBlockKit(buildMessage({ sections: [{ kind: 'text', text }] }));
    const sections = out.blocks.filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    const shown = sections.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : '')).join('\n');
    const note = mrkdwnTexts(out.blocks).find((t) => t.startsWith('… truncated'));
    const omitted = Number(/truncated (\d+) chars/.exec(note ?? '')?.[1]);
    const shownRaw = shown.replaceAll('&amp;', '&');
    expect(text.startsWith(shownRaw)).toBe(true);
    expect(shownRaw.length + omitted).toBe(text.length);
  });

  it('shows code in a code block, defusing fences and counting what was cut', () => {
    const code = Array.from({ length: 500 }, (_, i) => `line ${i} \`\`\` <x>`).join('\n');
    const out = toBlockKit(
      buildMessage({ sections: [{ kind: 'code', title: 'Log', code, collapsed: true }] }),
    );
    const text = mrkdwnTexts(out.blocks)[0] ?? '';
    expect(text.startsWith('*Log*\n```\nline 0 `\u200b`\u200b` &lt;x&gt;')).toBe(true);
    expect(text.match(/```/g)).toHaveLength(2);
    const omitted = Number(/_… truncated (\d+) chars_$/.exec(text)?.[1]);
    const kept = text.slice('*Log*\n```\n'.length, text.indexOf('\n```\n_'));
    const keptRaw = kept.replaceAll('&lt;', '<').replaceAll('&gt;', '>');
    expect(keptRaw.length + omitted).toBe(code.replaceAll('```', '`\u200b`\u200b`').length);
    expect(text.length).toBeLessThanOrEqual(3000);
  });
});

describe('toBlockKit tables', () => {
  const columns = ['Node', 'GPU', 'Temp'];
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => [
      `node-${i}`,
      String(i % 8),
      i % 5 === 0 ? { text: `${80 + (i % 10)}`, tone: 'attention' as const } : `${60 + (i % 10)}`,
    ]);

  it('aligns columns in monospace and marks toned cells', () => {
    const out = toBlockKit(buildMessage({ sections: [{ kind: 'table', columns, rows: rows(12), more: 3 }] }));
    const [table, notes] = mrkdwnTexts(out.blocks);
    const lines = (table ?? '').split('\n').slice(1, -1);
    expect(lines[0]).toBe('Node     GPU  Temp');
    expect(lines[1]).toBe('-------  ---  -----');
    expect(lines[2]).toBe('node-0   0    80 !!');
    expect(lines[3]).toBe('node-1   1    61');
    expect(lines.map((l) => l.slice(14))).toEqual([
      'Temp',
      '-----',
      ...rows(12).map((r) => (typeof r[2] === 'string' ? r[2] : `${r[2]!.text} !!`)),
    ]);
    expect(notes).toBe('… 3 more rows');
    expect(mrkdwnTexts(out.blocks)).toContain('`!!` attention');
  });

  it('splits a long table over sections, repeating the header, and counts rows left out', () => {
    const out = toBlockKit(
      buildMessage({ sections: [{ kind: 'table', columns, rows: rows(2000), more: 7 }] }),
    );
    const tables = out.blocks.filter((b) => b.block_id.startsWith('table-') && b.type === 'section');
    expect(tables.length).toBeGreaterThan(1);
    let shownRows = 0;
    for (const t of tables) {
      const lines = (t.type === 'section' ? (t.text?.text ?? '') : '').split('\n').slice(1, -1);
      expect(lines[0]).toBe('Node       GPU  Temp');
      shownRows += lines.length - 2;
    }
    const note = mrkdwnTexts(out.blocks).find((t) => t.includes('more rows')) ?? '';
    expect(shownRows + Number(/… (\d+) more rows/.exec(note)?.[1])).toBe(2007);
  });
});

describe('toBlockKit actions', () => {
  const incident = loadFixture('incident-p1-firing');

  it('encodes the verb in action_id and the data in value; maps styles', () => {
    const actions = toBlockKit(incident).blocks.find((b) => b.type === 'actions');
    expect(actions?.type).toBe('actions');
    const [ack, silence, cordon, reduce] = actions?.type === 'actions' ? actions.elements : [];
    expect(ack).toMatchObject({ type: 'button', style: 'primary', value: '{"incident":"INC-42"}' });
    expect(decodeActionId(ack!.action_id)).toEqual({ verb: 'ack', index: 0 });
    expect(cordon).toMatchObject({ style: 'danger' });
    expect(reduce).not.toHaveProperty('style');
    expect(
      decodeBlockKitAction({ action_id: cordon!.action_id, value: (cordon as { value: string }).value }),
    ).toEqual({
      verb: 'propose',
      data: { incident: 'INC-42', action: 'cordon-node', node: 'node-7' },
    });
    expect(silence?.type).toBe('static_select');
  });

  it('renders an input as a static_select whose choice gives back verb, data and value', () => {
    const actions = toBlockKit(incident).blocks.find((b) => b.type === 'actions');
    const select = actions?.type === 'actions' ? actions.elements[1] : undefined;
    if (select?.type !== 'static_select') throw new Error('expected a select');
    expect(select.options.map((o) => o.text.text)).toEqual(['1 hour', '30 minutes', '4 hours', '1 day']);
    const chosen = select.options.find((o) => o.text.text === '4 hours')!;
    expect(decodeActionId(select.action_id)).toEqual({ verb: 'silence', index: 1, inputId: 'duration' });
    expect(
      decodeBlockKitAction({ action_id: select.action_id, selected_option: { value: chosen.value } }),
    ).toEqual({
      verb: 'silence',
      data: { incident: 'INC-42', duration: '4h' },
    });
  });

  it('fails loudly with a code when action data is too big for a button value', () => {
    const msg = buildMessage({
      actions: [{ verb: 'propose', title: 'Apply', data: { plan: 'x'.repeat(2000) } }],
    });
    expect(() => toBlockKit(msg)).toThrow(expect.objectContaining({ code: 'BLOCK_KIT_VALUE_TOO_LONG' }));
    expect(() => toBlockKit(msg)).toThrow(AppError);
  });

  it('fails loudly when a choice plus data is too big for an option value', () => {
    const msg = buildMessage({
      actions: [
        {
          verb: 'silence',
          title: 'Silence',
          data: { note: 'n'.repeat(140) },
          input: { id: 'd', label: 'for', value: '1h', choices: [{ title: '1h', value: '1h' }] },
        },
      ],
    });
    expect(() => toBlockKit(msg)).toThrow(expect.objectContaining({ code: 'BLOCK_KIT_VALUE_TOO_LONG' }));
  });

  it('keeps every action, in actions blocks of at most 25', () => {
    const msg = buildMessage({
      sections: [{ kind: 'text', text: 'many choices' }],
      actions: Array.from({ length: 60 }, (_, i) => ({ verb: `v${i}`, title: `Do ${i}` })),
    });
    const blocks = toBlockKit(msg).blocks.filter((b) => b.type === 'actions');
    expect(blocks.map((b) => (b.type === 'actions' ? b.elements.length : 0))).toEqual([25, 25, 10]);
    const verbs = blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements.map((e) => decodeActionId(e.action_id)?.verb) : [],
    );
    expect(verbs).toEqual(msg.actions.map((a) => a.verb));
  });
});

describe('toBlockKit budgets', () => {
  it('stops at 50 blocks and says how many sections were left out', () => {
    const sections = Array.from({ length: 80 }, (_, i) => ({
      kind: 'notice' as const,
      tone: 'default' as const,
      text: `n${i}`,
    }));
    const out = toBlockKit(
      buildMessage({ header: { title: 'Many' }, sections, actions: [{ verb: 'ack', title: 'Ack' }] }),
      {
        maxChars: 1_000_000,
      },
    );
    expect(out.blocks).toHaveLength(50);
    expect(out.blocks.at(-1)?.type).toBe('actions');
    const shown = out.blocks.filter((b) => b.block_id.startsWith('notice-')).length;
    expect(mrkdwnTexts(out.blocks)).toContain(
      `… ${80 - shown} more sections not shown (Slack message size limits)`,
    );
  });

  it('keeps the serialised blocks under the character budget', () => {
    const out = toBlockKit(loadFixture('query-result'), { maxChars: 3000 });
    expect(JSON.stringify(out.blocks).length).toBeLessThanOrEqual(3000);
    expect(mrkdwnTexts(out.blocks).some((t) => /… \d+ more rows/.test(t))).toBe(true);
  });

  it('gives way to actions but keeps some content', () => {
    const msg = buildMessage({
      sections: [{ kind: 'text', text: 'evidence line\n'.repeat(2000) }],
      actions: Array.from({ length: 20 }, (_, i) => ({
        verb: 'propose',
        title: `Fix ${i}`,
        data: { plan: 'p'.repeat(900) },
      })),
    });
    const out = toBlockKit(msg);
    const content = out.blocks.filter((b) => b.type !== 'actions');
    expect(JSON.stringify(out.blocks.filter((b) => b.type === 'actions')).length).toBeGreaterThan(12_000);
    expect(JSON.stringify(content).length).toBeGreaterThan(1000);
    expect(JSON.stringify(content).length).toBeLessThanOrEqual(MIN_CONTENT_CHARS + 200);
    expect(mrkdwnTexts(out.blocks).at(-1)).toMatch(/^… truncated \d+ chars$/);
  });
});

describe('decodeBlockKitAction', () => {
  it('rejects payloads this renderer did not make', () => {
    expect(decodeBlockKitAction({ action_id: 'incident_ack', value: '{}' })).toBeUndefined();
    expect(decodeBlockKitAction({ action_id: 'oncall:ack:0', value: 'not json' })).toBeUndefined();
    expect(decodeBlockKitAction({ action_id: 'oncall:ack:0', value: '{"nested":{"a":1}}' })).toBeUndefined();
    expect(decodeBlockKitAction({ action_id: 'oncall:ack:0' })).toEqual({ verb: 'ack', data: {} });
  });
});
