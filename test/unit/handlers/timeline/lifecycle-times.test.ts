import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../core/alerts/incident.ts';
import type { TimelineEvent } from '../../../../core/alerts/timeline.ts';
import { incidentTimes, meanTimes } from '../../../../handlers/timeline/lifecycle-times.ts';
import { anIncident } from '../../store/store-fixtures.ts';

const T0 = 1_800_000_000_000;
const MIN = 60_000;
let seq = 0;
const at = (incidentId: number, min: number, type: string): TimelineEvent => ({
  id: ++seq,
  incidentId,
  at: T0 + min * MIN,
  type,
  actor: 'bot',
  actorName: null,
  detail: '',
});
const incident = (id: number, over: Partial<Incident> = {}): Incident => ({
  ...anIncident({ openedAt: T0, ...over }),
  id,
  stormId: null,
});

describe('MTTA and MTTR from the timeline', () => {
  it('measures from the opening to the first acknowledgement and to the last resolution', () => {
    const i = incident(1, { status: 'resolved' });
    const events = [
      at(1, 0, 'opened'),
      at(1, 3, 'acknowledged'),
      at(1, 4, 'acknowledged'),
      at(1, 10, 'resolved'),
      at(1, 12, 'flapping'),
      at(1, 30, 'resolved-by-hand'),
    ];
    expect(incidentTimes(i, events)).toEqual({
      incidentId: 1,
      tier: i.tier,
      ackMs: 3 * MIN,
      resolveMs: 30 * MIN,
    });
  });

  it('has no resolution time while it is open or a flap re-opened it', () => {
    const open = incident(2);
    expect(
      incidentTimes(open, [at(2, 0, 'opened'), at(2, 5, 'resolved'), at(2, 6, 'flapping')]).resolveMs,
    ).toBe(undefined);
    expect(incidentTimes(open, [at(2, 0, 'opened')]).ackMs).toBeUndefined();
  });

  it('averages over the incidents that have each time, per set', () => {
    const times = [
      { incidentId: 1, tier: 'P1' as const, ackMs: 2 * MIN, resolveMs: 10 * MIN },
      { incidentId: 2, tier: 'P1' as const, ackMs: 4 * MIN, resolveMs: undefined },
      { incidentId: 3, tier: 'P2' as const, ackMs: undefined, resolveMs: undefined },
    ];
    expect(meanTimes(times)).toEqual({
      mttaMs: 3 * MIN,
      mttrMs: 10 * MIN,
      acknowledged: 2,
      resolved: 1,
      incidents: 3,
    });
    expect(meanTimes([])).toMatchObject({ mttaMs: undefined, mttrMs: undefined, incidents: 0 });
  });
});
