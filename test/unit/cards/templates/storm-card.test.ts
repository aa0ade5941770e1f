import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../../../cards/render/adaptive-card.ts';
import { toBlockKit } from '../../../../cards/render/block-kit.ts';
import { stormCard } from '../../../../cards/templates/storm-card.ts';
import type { StormIncident } from '../../../../core/alerts/storm.ts';
import { rendererProblems, schemaErrors } from '../../../helpers/adaptive-card-validation.ts';
import { findBlockViolations } from '../../../servers/slack/block-limits.ts';

const T0 = Date.parse('2026-11-28T09:02:00Z');
const MIN = 60_000;
const KINDS = ['latency-slo', 'gpu-temperature', 'error-spike'] as const;

/** 137 incidents, newest first, spread over kinds, tiers, nodes and deployments. */
function incidents(): StormIncident[] {
  return Array.from({ length: 137 }, (_, k) => {
    const id = 200 + 137 - k;
    return {
      id,
      title: `Incident number ${id} on node-${id % 4}`,
      kind: KINDS[id % 3]!,
      tier: id % 5 === 0 ? 'P3' : 'P2',
      status: id % 11 === 0 ? 'open' : 'resolved',
      resource:
        id % 2 === 0 ? { node: `node-${id % 4}`, gpu: String(id % 8) } : { deployment: `vllm-${id % 3}` },
      openedAt: T0 + Math.floor(k / 8) * MIN,
      // Of the firing ones, some acknowledged and one silenced.
      acknowledgedBy: id % 22 === 0 ? 'slack:U0ALICE' : null,
      silenceId: id === 253 ? 9 : null,
    };
  });
}

const storm = { id: 3, startedAt: T0, lastIncidentAt: T0 + 17 * MIN, endedAt: null };
const time = { timeZone: 'Europe/Amsterdam', now: T0 + 18 * MIN };
const cards = {
  'storm-active': stormCard({ storm, incidents: incidents(), time }),
  'storm-ended': stormCard({ storm: { ...storm, endedAt: T0 + 22 * MIN }, incidents: incidents(), time }),
};

describe('storm card', () => {
  it('counts the storm, names what it hit most, lists the latest ten and points to /alerts', () => {
    const m = cards['storm-active'];
    expect(m.header).toMatchObject({
      title: 'Alert storm: 137 incidents',
      tier: 'P2',
      status: 'warning',
    });
    const firing = incidents().filter((i) => i.status === 'open').length;
    expect(m.facts).toEqual([
      ['By tier', 'P2 110 · P3 27'],
      ['Status', `${firing} firing · ${137 - firing} resolved`],
      ['Taken', '6 acknowledged · 1 silenced · 5 nobody yet'],
    ]);
    const table = m.sections.find((s) => s.kind === 'table')!;
    expect(table.kind === 'table' && table.rows.map((r) => r[0])).toEqual(
      Array.from({ length: 10 }, (_, k) => `INC-${337 - k}`),
    );
    expect(table.kind === 'table' && table.more).toBe(127);
    const text = JSON.stringify(m);
    expect(text).toContain('Top kinds');
    expect(text).toContain('Top resources');
    expect(text).toContain('/alerts');
  });

  it('shows who took which incident, and offers Acknowledge all / Silence all only while someone must', () => {
    const table = cards['storm-active'].sections.find((s) => s.kind === 'table')!;
    const status = (id: number) =>
      table.kind === 'table' ? table.rows.find((r) => r[0] === `INC-${id}`)?.[2] : undefined;
    expect(status(330)).toEqual({ text: 'ack slack:U0ALICE', tone: 'default' });
    expect(status(336)).toEqual({ text: 'resolved', tone: 'good' });
    expect(cards['storm-active'].actions.map((a) => a.verb)).toEqual(['storm-ack', 'storm-silence']);
    const allTaken = incidents().map((i) =>
      i.status === 'open' ? { ...i, acknowledgedBy: 'console:bob' } : i,
    );
    const taken = stormCard({ storm, incidents: allTaken, time });
    expect(taken.actions).toEqual([]);
    expect(taken.facts).toContainEqual(['Taken', '12 acknowledged · 1 silenced · 0 nobody yet']);
  });

  it('says when it ended and how many still fire', () => {
    const firing = incidents().filter((i) => i.status === 'open').length;
    expect(cards['storm-ended'].header).toMatchObject({
      status: 'info',
      subtitle: [
        'since ',
        { kind: 'time', at: T0, style: 'time', fallback: '10:02 CET' },
        ' · ended ',
        { kind: 'time', at: T0 + 22 * MIN, style: 'time', fallback: '10:24 CET' },
        ` · ${firing} still firing`,
      ],
    });
  });

  it.each(Object.entries(cards))(
    '%s matches its Adaptive Card golden file and the 1.5 schema',
    async (name, m) => {
      const card = toAdaptiveCard(m);
      expect(schemaErrors(card)).toEqual([]);
      expect(rendererProblems(card)).toEqual([]);
      await expect(`${JSON.stringify(card, null, 2)}\n`).toMatchFileSnapshot(
        `../../../golden/adaptive-card/${name}.json`,
      );
    },
  );

  it.each(Object.entries(cards))(
    '%s matches its Block Kit golden file within Slack limits',
    async (name, m) => {
      const out = toBlockKit(m);
      expect(findBlockViolations(out.blocks)).toEqual([]);
      await expect(`${JSON.stringify(out, null, 2)}\n`).toMatchFileSnapshot(
        `../../../golden/block-kit/${name}.json`,
      );
    },
  );
});
