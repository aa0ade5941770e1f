import { describe, expect, it } from 'vitest';
import {
  ASK_RERUN_VERB,
  buildAnswerMessage,
  buildClarifyMessage,
  buildNoMatchMessage,
  buildRateLimitedMessage,
  buildRefusalMessage,
  parseAskRerun,
} from '../../../handlers/questions/question-cards.ts';
import { createQuestionRouter } from '../../../handlers/questions/route-question.ts';
import { questionCatalog, questionInventory } from '../../fixtures/questions/catalog.ts';

const clock = { now: new Date('2026-11-28T14:00:00Z'), timeZone: 'UTC' };
const router = createQuestionRouter({ queries: questionCatalog, inventory: questionInventory });
const byId = (id: string) => {
  const q = questionCatalog.find((c) => c.id === id);
  if (!q) throw new Error(`no query ${id}`);
  return q;
};

describe('question cards', () => {
  it('says how the question was interpreted and offers widen/narrow buttons that validate', () => {
    const d = router.route("what's the 429 rate on gpt4o in the last 14 hours?", clock);
    if (d.kind !== 'query') throw new Error(`expected a query, got ${d.kind}`);
    const query = byId(d.id);
    const msg = buildAnswerMessage(d, query, [{ kind: 'text', text: 'result goes here' }]);
    expect(msg.sections[0]).toEqual({
      kind: 'text',
      text: 'Interpreted as: HTTP 429 throttle rate · last 14h · deployment=gpt-4o',
    });
    expect(msg.sections.at(-1)).toEqual({ kind: 'text', text: 'result goes here' });
    const titles = msg.actions.map((a) => a.title);
    expect(titles).toContain('Widen to 2d 8h');
    expect(titles).toContain('Narrow to 3h 30m');
    for (const a of msg.actions) {
      expect(a.verb).toBe(ASK_RERUN_VERB);
      const { query: id, params } = parseAskRerun(a.data);
      expect(byId(id).params.safeParse(params).success).toBe(true);
    }
    const widen = parseAskRerun(msg.actions.find((a) => a.title.startsWith('Widen'))!.data);
    expect(widen).toEqual({ query: 'throttle-rate', params: { deployment: 'gpt-4o', window: '56h' } });
  });

  it('offers no widen/narrow buttons for an absolute range, which a look-back would not change', () => {
    const d = router.route("what's the 429 rate on gpt4o since midnight?", clock);
    if (d.kind !== 'query') throw new Error(`expected a query, got ${d.kind}`);
    const msg = buildAnswerMessage(d, byId(d.id));
    expect(msg.sections[0]).toEqual({
      kind: 'text',
      text: 'Interpreted as: HTTP 429 throttle rate · since 00:00 · deployment=gpt-4o',
    });
    expect(msg.actions.some((a) => /^(Widen|Narrow)/.test(a.title))).toBe(false);
  });

  it('offers only the narrowing a bounded range allows, from the default when none was given', () => {
    const d = router.route('node-7 temperature over the past week', clock);
    if (d.kind !== 'query') throw new Error(`expected a query, got ${d.kind}`);
    const titles = buildAnswerMessage(d, byId(d.id)).actions.map((a) => a.title);
    expect(titles).toContain('Narrow to 42h');
    expect(titles.some((t) => t.startsWith('Widen'))).toBe(false);
  });

  it('tells what a query could not filter on', () => {
    // GPU node state has no team: the card says so (KQL queries filter on teams now).
    const d = router.route('temperature on node-3 for the ml platform team', clock);
    if (d.kind !== 'query') throw new Error(`expected a query, got ${d.kind}`);
    const msg = buildAnswerMessage(d, byId(d.id));
    expect(msg.sections[1]).toMatchObject({
      kind: 'notice',
      text: expect.stringContaining('team=ml-platform'),
    });
  });

  it('asks with at most three candidate buttons when unsure', () => {
    const d = router.route('errors', clock);
    if (d.kind !== 'clarify') throw new Error(`expected clarify, got ${d.kind}`);
    const msg = buildClarifyMessage(d);
    expect(msg.actions.length).toBeGreaterThan(1);
    expect(msg.actions.length).toBeLessThanOrEqual(3);
    expect(msg.actions.map((a) => parseAskRerun(a.data).query)).toEqual(d.candidates.map((c) => c.id));
  });

  it('lists what it can answer when nothing matches, and refuses without echoing', () => {
    const d = router.route("what's the weather in Seattle?", clock);
    if (d.kind !== 'no-match') throw new Error(`expected no-match, got ${d.kind}`);
    const table = buildNoMatchMessage(d).sections.find((s) => s.kind === 'table');
    expect(table?.kind === 'table' && table.rows.length).toBe(questionCatalog.length);
    const refusal = JSON.stringify(buildRefusalMessage());
    expect(refusal).not.toContain('http');
    expect(refusal).toContain('security event');
    expect(JSON.stringify(buildRateLimitedMessage('Please try again in 90 seconds.'))).toContain(
      '90 seconds',
    );
  });

  it('rejects malformed button data', () => {
    expect(() => parseAskRerun({ query: 'x', params: '[1]' })).toThrow();
    expect(() => parseAskRerun({ query: '', params: '{}' })).toThrow();
  });
});
