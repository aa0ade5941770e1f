import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlockKitMessage } from '../../../../cards/render/block-kit/schema.ts';
import {
  blockKitMessage,
  decodeActionId,
  MIN_CONTENT_CHARS,
  toBlockKit,
} from '../../../../cards/render/block-kit.ts';
import { AppError } from '../../../../core/errors.ts';
import {
  buildMessage,
  type Message,
  type MessageInput,
  message,
  plainText,
} from '../../../../core/message.ts';
import { findBlockViolations } from '../../../servers/slack/block-limits.ts';

const FIXTURES = new URL('../../../fixtures/messages/', import.meta.url);
const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    name: f,
    msg: buildMessage(JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8')) as MessageInput),
  }));

/** Every limit from formats.md §6, checked two independent ways, plus the renderer's promises. */
function expectWithinLimits(msg: Message, out: BlockKitMessage, maxChars: number): void {
  expect(findBlockViolations(out.blocks)).toEqual([]);
  expect(blockKitMessage.safeParse(out).success).toBe(true);
  expect(out.blocks.length).toBeLessThanOrEqual(50);
  expect(out.text.length).toBeGreaterThan(0);
  expect(out.text).not.toMatch(/[<>]/);
  // The budget gives way only to header and actions (never dropped), keeping some content.
  const fixed = out.blocks.filter(
    (b) => b.type === 'actions' || b.type === 'header' || b.block_id.startsWith('subtitle'),
  );
  const bound = Math.max(maxChars, JSON.stringify(fixed).length + MIN_CONTENT_CHARS + 200);
  expect(JSON.stringify(out.blocks).length).toBeLessThanOrEqual(bound);
  // No action is ever dropped: each one comes back, in order, from the action ids.
  const elements = out.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
  expect(elements.map((e) => decodeActionId(e.action_id)?.verb)).toEqual(msg.actions.map((a) => a.verb));
}

describe('Block Kit limits on every fixture', () => {
  it.each(fixtures)('$name stays within the limits (default budget)', ({ msg }) => {
    expectWithinLimits(msg, toBlockKit(msg), 12_000);
  });

  it.each(fixtures)('$name stays within the limits (block limit only)', ({ msg }) => {
    expectWithinLimits(msg, toBlockKit(msg, { maxChars: 1_000_000 }), 1_000_000);
  });

  it('the huge fixture really exceeds every limit before rendering', () => {
    const huge = fixtures.find((f) => f.name === 'huge.json')!.msg;
    expect(huge.header!.title.length).toBeGreaterThan(150);
    expect(huge.facts.length).toBeGreaterThan(10);
    expect(Math.max(...huge.facts.map((f) => plainText(f[1]).length))).toBeGreaterThan(2000);
    expect(huge.sections.length).toBeGreaterThan(50);
    expect(huge.actions.length).toBeGreaterThan(25);
    const table = huge.sections.find((s) => s.kind === 'table');
    expect(table?.kind === 'table' && table.rows.length * table.columns.length * 10).toBeGreaterThan(3000);
    const out = toBlockKit(huge, { maxChars: 1_000_000 });
    expect(out.blocks).toHaveLength(50);
  });
});

const specials = fc.constantFrom(
  '&',
  '<',
  '>',
  '<!channel>',
  '```',
  '*',
  '_',
  '|',
  '\n',
  'é',
  '🔥',
  '\u200b',
  ' ',
);
const text = (maxLength: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.oneof(specials, fc.string({ maxLength: 8 })), { maxLength: 30 })
        .map((a) => a.join('')),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.nat({ max: maxLength }))
        .map(([s, n]) => s.repeat(n)),
    },
  );
const url = fc.oneof(
  fc.constantFrom(
    'https://grafana.example.com/d/x?a=1&b=<2>',
    'https://oncall.example.com/charts/a.png',
    'http://h/|p',
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);
const tone = fc.constantFrom('default', 'good', 'warning', 'attention', 'accent');
const cell = fc.oneof(text(60), fc.record({ text: text(60), tone }));
const section = fc.oneof(
  fc.record({ kind: fc.constant('text'), text: text(9000) }),
  fc.record({
    kind: fc.constant('facts'),
    title: fc.option(text(300), { nil: undefined }),
    facts: fc.array(fc.tuple(text(300), text(3000)), { maxLength: 25 }),
  }),
  fc.record({
    kind: fc.constant('table'),
    title: fc.option(text(300), { nil: undefined }),
    columns: fc.array(text(50), { minLength: 1, maxLength: 14 }),
    rows: fc.array(fc.array(cell, { maxLength: 16 }), { maxLength: 150, size: 'medium' }),
    more: fc.nat({ max: 10_000 }),
  }),
  fc.record({
    kind: fc.constant('image'),
    url,
    alt: text(3000).filter((s) => s.length > 0),
    title: fc.option(text(3000), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('code'), title: text(300), code: text(12_000), collapsed: fc.boolean() }),
  fc.record({ kind: fc.constant('notice'), text: text(5000), tone }),
  fc.record({
    kind: fc.constant('links'),
    links: fc.array(fc.record({ title: text(200), url }), { maxLength: 60 }),
  }),
);
const verb = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/);
const data = fc.dictionary(
  fc.string({ maxLength: 10 }),
  fc.oneof(fc.string({ maxLength: 60 }), fc.integer(), fc.boolean()),
  { maxKeys: 4 },
);
const action = fc.record({
  verb,
  title: fc.string({ minLength: 1, maxLength: 75 }),
  style: fc.constantFrom('default', 'positive', 'destructive'),
  data,
  input: fc.option(
    fc.record({
      id: fc.stringMatching(/^[a-zA-Z][\w-]{0,10}$/),
      label: text(200),
      choices: fc.array(fc.record({ title: text(100), value: fc.string({ maxLength: 12 }) }), {
        minLength: 1,
        maxLength: 30,
      }),
      value: fc.string({ maxLength: 12 }),
    }),
    { nil: undefined },
  ),
});
const messageInput = fc.record({
  header: fc.option(
    fc.record({
      title: text(400).filter((s) => s.length > 0),
      tier: fc.option(fc.constantFrom('P1', 'P2', 'P3'), { nil: undefined }),
      status: fc.option(
        fc.constantFrom('firing', 'acknowledged', 'resolved', 'silenced', 'flapping', 'info'),
        { nil: undefined },
      ),
      subtitle: fc.option(text(1000), { nil: undefined }),
    }),
    { nil: undefined },
  ),
  facts: fc.array(fc.tuple(text(100), text(2500)), { maxLength: 14 }),
  sections: fc.array(section, { maxLength: 70, size: 'large' }),
  actions: fc.array(action, { maxLength: 30, size: 'medium' }),
});

describe('Block Kit limits on generated messages', () => {
  it('every generated message renders within the limits, or fails loudly with a code', () => {
    fc.assert(
      fc.property(messageInput, fc.constantFrom(12_000, 1_000_000), (input, maxChars) => {
        const parsed = message.safeParse(input);
        fc.pre(parsed.success);
        const msg = parsed.data!;
        let out: BlockKitMessage;
        try {
          out = toBlockKit(msg, { maxChars });
        } catch (err) {
          // Only data that cannot fit a button value (2000) or option value (150) may refuse to render.
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('BLOCK_KIT_VALUE_TOO_LONG');
          const tooBig = msg.actions.some((a) =>
            a.input
              ? a.input.choices.some(
                  (c) => JSON.stringify({ ...a.data, [a.input!.id]: c.value }).length > 150,
                )
              : JSON.stringify(a.data).length > 2000,
          );
          expect(tooBig).toBe(true);
          return;
        }
        expectWithinLimits(msg, out, maxChars);
      }),
      // Shrinking these large inputs takes minutes; the first counterexample is reported as is.
      { numRuns: 150, seed: 20261128, endOnFailure: true },
    );
  });
});

describe('the limit checker used by the test Slack server', () => {
  const good = toBlockKit(fixtures.find((f) => f.name === 'incident-p1-firing.json')!.msg).blocks;
  const mutate = (fn: (blocks: Record<string, unknown>[]) => void) => {
    const copy = structuredClone(good) as unknown as Record<string, unknown>[];
    fn(copy);
    return findBlockViolations(copy).map((v) => v.pointer);
  };

  it('accepts a valid rendering and reports each broken limit by pointer', () => {
    expect(mutate(() => {})).toEqual([]);
    expect(
      mutate((b) => Object.assign(b[0]!, { text: { type: 'plain_text', text: 'h'.repeat(151) } })),
    ).toEqual(['/blocks/0/text/text']);
    expect(mutate((b) => Object.assign(b[1]!, { block_id: b[0]!.block_id }))).toEqual(['/blocks/1/block_id']);
    expect(
      mutate((b) => Object.assign(b[2]!, { fields: Array(11).fill({ type: 'mrkdwn', text: 'f' }) })),
    ).toEqual(['/blocks/2/fields']);
    expect(mutate((b) => Object.assign(b[3]!, { text: { type: 'mrkdwn', text: 's'.repeat(3001) } }))).toEqual(
      ['/blocks/3/text/text'],
    );
    expect(
      mutate((b) =>
        b.push(...Array.from({ length: 45 }, (_, i) => ({ type: 'divider', block_id: `d${i}` }))),
      ),
    ).toEqual(['/blocks']);
    expect(mutate((b) => delete b[4]!.alt_text)).toEqual(['/blocks/4/alt_text']);
    const actions = good.length - 1;
    expect(
      mutate((b) => {
        const el = (b[actions]!.elements as Record<string, unknown>[])[0]!;
        el.value = 'v'.repeat(2001);
        el.action_id = 'a'.repeat(256);
      }),
    ).toEqual([`/blocks/${actions}/elements/0/action_id`, `/blocks/${actions}/elements/0/value`]);
  });
});
