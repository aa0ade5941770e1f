import { describe, expect, it } from 'vitest';
import { p3DigestCard } from '../../../../cards/templates/digest.ts';
import { incidentList } from '../../../../cards/templates/incident-list.ts';
import type { Incident } from '../../../../core/alerts/incident.ts';
import { digestMailText } from '../../../../handlers/paging/digest-mail.ts';

// Azure's sample fired on 15 Apr 2025; the bot first heard of it today. Every surface that lists
// incidents must show the sender's start, not the receive time.
const FIRED = Date.parse('2025-04-15T09:30:00Z');
const RECEIVED = Date.parse('2026-12-07T08:00:00Z');
const NOW = RECEIVED + 60_000;

const incident: Incident = {
  id: 9,
  groupKey: 'g',
  source: 'azure-monitor',
  title: 'Token budget burning',
  kind: 'quota-approaching',
  tier: 'P3',
  status: 'open',
  flapping: false,
  flapCount: 0,
  resource: {},
  acknowledgedBy: null,
  acknowledgedAt: null,
  silenceId: null,
  silencedBy: null,
  silencedUntil: null,
  openedAt: RECEIVED,
  updatedAt: RECEIVED,
  resolvedAt: null,
  startedAt: FIRED,
  version: 1,
};

function tableRows(sections: readonly { kind: string }[]): unknown[][] {
  const table = sections.find((s) => s.kind === 'table') as { rows: unknown[][] } | undefined;
  if (!table) throw new Error('no table');
  return table.rows;
}

describe("incident lists show the sender's start time", () => {
  it('the P3 digest card dates each incident by when it started', () => {
    const card = p3DigestCard({ day: '2026-12-07', incidents: [incident], timeZone: 'UTC' });
    const [row] = tableRows(card.sections);
    expect(JSON.stringify(row)).toContain('15 Apr');
    expect(JSON.stringify(row)).not.toContain('Dec');
  });

  it('the digest mail dates each incident by when it started', () => {
    const { text } = digestMailText('2026-12-07', [incident], 'UTC');
    expect(text).toContain('15 Apr');
    expect(text).not.toContain('7 Dec');
  });

  it('/alerts ages each incident from when it started', () => {
    const [row] = tableRows(incidentList([incident], NOW).sections);
    expect(row?.at(-1)).not.toBe('1m');
    expect(String(row?.at(-1))).toMatch(/\d+d/);
  });
});
