import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../../../cards/render/adaptive-card.ts';
import { rendererProblems, schemaErrors } from '../../../helpers/adaptive-card-validation.ts';
import { sampleCards } from '../../../helpers/sample-cards.ts';

const TEAMS_BOT_MESSAGE_BUDGET = 80 * 1024;

describe('Adaptive Card renderer', () => {
  const cards = Object.entries(sampleCards());

  it.each(cards)('%s matches its golden file', async (name, message) => {
    await expect(`${JSON.stringify(toAdaptiveCard(message), null, 2)}\n`).toMatchFileSnapshot(
      `../../../golden/adaptive-card/${name}.json`,
    );
  });

  it.each(cards)('%s validates against the official Adaptive Card 1.5 schema', (_name, message) => {
    expect(schemaErrors(toAdaptiveCard(message))).toEqual([]);
  });

  it.each(cards)('%s parses without warnings in the adaptivecards package', (_name, message) => {
    expect(rendererProblems(toAdaptiveCard(message))).toEqual([]);
  });

  it.each(cards)('%s stays well under the Teams bot message size', (_name, message) => {
    expect(JSON.stringify(toAdaptiveCard(message)).length).toBeLessThan(TEAMS_BOT_MESSAGE_BUDGET);
  });

  it('renders buttons as Action.Execute with a Submit fallback, and the silence choice in a ShowCard', () => {
    const card = toAdaptiveCard(sampleCards()['incident-p2-firing']!);
    const [ack, silence] = card.actions as Array<Record<string, unknown>>;
    expect(ack).toMatchObject({
      type: 'Action.Execute',
      verb: 'ack',
      data: { incidentId: 42 },
      fallback: { type: 'Action.Submit' },
    });
    expect(silence).toMatchObject({ type: 'Action.ShowCard' });
    expect(JSON.stringify(silence)).toContain('"type":"Input.ChoiceSet"');
  });

  it('a resolved incident has no buttons', () => {
    expect(toAdaptiveCard(sampleCards()['incident-resolved']!).actions).toBeUndefined();
  });

  it('catches a card the official schema rejects (the check can fail)', () => {
    expect(
      schemaErrors({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }], extra: 1 }),
    ).not.toEqual([]);
  });
});
