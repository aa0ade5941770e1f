import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Capabilities } from '../../../bot/modules.ts';
import type { ProposalCardSource } from '../../../core/outbox/proposal-cards.ts';

const source = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

/**
 * The composition root wires modules by reference. A lookup by id or by "the first module with
 * X" silently picks another module (or none) when the list changes, so none may exist.
 */
describe('the module seam', () => {
  it('hands proposal cards and the question answerer over by reference', () => {
    expectTypeOf<Capabilities['proposalCards']>().toEqualTypeOf<ProposalCardSource | undefined>();
    expect(source('bot/app.ts')).toContain('capabilities?.proposalCards');
  });

  it.each(['bot/app.ts', 'bot/modules.ts'])('%s never looks a module or command up', (path) => {
    const text = source(path);
    expect(text).not.toMatch(/modules\.(find|filter)\(/);
    expect(text).not.toMatch(/\b[a-z]\.id === '/);
  });
});
