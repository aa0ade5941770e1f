import { incidentTier } from '../../core/alerts/incident.ts';
import type { PagingAction, PagingEvent, PagingFlag, TrackedIncident } from './paging-repo.ts';

/** SQLite stores flags as 0/1, PostgreSQL as booleans. */
type Flag = number | boolean;

export interface IncidentRow {
  incident_id: number;
  tier: string;
  opened_at: number;
  triggered: Flag;
  escalated: Flag;
  acked: Flag;
  resolved: Flag;
  digested: Flag;
  generation: number;
}

export interface EventRow {
  id: number;
  incident_id: number;
  action: string;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/** Flag names are interpolated into SQL: only these ever are. */
export const FLAG_COLUMNS: Record<PagingFlag, string> = {
  triggered: 'triggered',
  escalated: 'escalated',
  acked: 'acked',
  resolved: 'resolved',
};

export function toTracked(r: IncidentRow): TrackedIncident {
  return {
    incidentId: r.incident_id,
    tier: incidentTier.parse(r.tier),
    openedAt: r.opened_at,
    flags: {
      triggered: Boolean(r.triggered),
      escalated: Boolean(r.escalated),
      acked: Boolean(r.acked),
      resolved: Boolean(r.resolved),
    },
    digested: Boolean(r.digested),
    generation: r.generation,
  };
}

export function toEvent(r: EventRow): PagingEvent {
  return {
    id: r.id,
    incidentId: r.incident_id,
    action: r.action as PagingAction,
    body: r.body,
    status: r.status as PagingEvent['status'],
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}
