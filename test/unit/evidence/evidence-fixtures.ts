import type { IncidentEvidence } from '../../../core/evidence.ts';

export const T0 = Date.parse('2026-11-28T09:00:00Z');

/** Evidence as collected for a 429 incident: one table of throttle rates. */
export function throttleEvidence(incidentId: number, rate = '12.5'): IncidentEvidence {
  return {
    incidentId,
    collectedAt: T0,
    items: [
      {
        queryId: 'throttle-rate',
        title: 'HTTP 429 throttle rate',
        params: [
          ['deployment', 'gpt-4o'],
          ['window', '30m'],
        ],
        outcome: {
          status: 'ok',
          columns: ['TimeGenerated', 'AppRoleName', 'ThrottleRate'],
          rows: [['09:00', 'chat-api', rate]],
          more: 0,
          partial: false,
        },
      },
    ],
  };
}
