import { type IncidentEvidence, incidentEvidence } from '../../core/evidence.ts';
import type { EvidenceClaim, SavedEvidence } from './evidence-repo.ts';

/** A row of `incident_evidence`, as both engines return it (times in epoch milliseconds). */
export interface EvidenceRow {
  incident_id: number;
  claimed_by: string | null;
  lease_until: number | null;
  evidence: string | null;
  seq: number | null;
  saved_at: number | null;
}

/** Parses stored JSON through the schema: the database is outside this process too. */
export function parseEvidence(json: string): IncidentEvidence {
  return incidentEvidence.parse(JSON.parse(json));
}

/** Validates evidence before it is written. */
export function serializeEvidence(evidence: IncidentEvidence): string {
  return JSON.stringify(incidentEvidence.parse(evidence));
}

export function toSaved(row: EvidenceRow): SavedEvidence {
  return { seq: row.seq!, evidence: parseEvidence(row.evidence!) };
}

/**
 * What a claim finds in the current row, or undefined when the caller may take it (no row, or a
 * lease that ran out).
 */
export function claimBlockedBy(row: EvidenceRow | undefined, now: number): EvidenceClaim | undefined {
  if (row?.evidence) return { status: 'done', evidence: parseEvidence(row.evidence) };
  if (row?.lease_until != null && row.lease_until > now) return { status: 'held', until: row.lease_until };
  return undefined;
}
