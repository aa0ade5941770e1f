import type { IncidentEvidence } from '../../core/evidence.ts';

/** What a replica may do about an incident's evidence when it asks to collect it. */
export type EvidenceClaim =
  /** This caller collects it now; its lease ends at `until`. */
  | { status: 'claimed'; until: number }
  /** Another replica is collecting it; ask again after `until` if nothing was saved by then. */
  | { status: 'held'; until: number }
  /** Already collected (by anyone): nothing to run. */
  | { status: 'done'; evidence: IncidentEvidence };

/** Evidence as saved, with its place in the order of saves. */
export interface SavedEvidence {
  /** Increases by one with every save across all replicas (a later save of an incident gets a new one). */
  seq: number;
  evidence: IncidentEvidence;
}

/**
 * Incident evidence shared by every replica: who collects it (a leased claim, so exactly one
 * replica runs an incident's queries, and another takes over when the collector died) and what was
 * collected. Saves are numbered in commit order, so a replica that remembers the last number it saw
 * finds every save made since with {@link EvidenceRepo.listSince}. Every method is one atomic unit.
 */
export interface EvidenceRepo {
  /**
   * Claims the collection of an incident's evidence for `owner` until `now + leaseMs`, unless it is
   * already saved or another claim's lease has not run out.
   */
  claim(incidentId: number, owner: string, now: number, leaseMs: number): Promise<EvidenceClaim>;
  /** Stores the evidence (validated), ends the claim, and returns the save's sequence number. */
  save(evidence: IncidentEvidence, now: number): Promise<number>;
  /** Stores the evidence only if the incident has none yet (importing older copies); true if stored. */
  saveIfMissing(evidence: IncidentEvidence, now: number): Promise<boolean>;
  get(incidentId: number): Promise<IncidentEvidence | undefined>;
  /** Saves numbered above `seq`, in order, at most `limit`. */
  listSince(seq: number, limit: number): Promise<SavedEvidence[]>;
  /** The number of the latest save (0 when nothing was saved). */
  lastSeq(): Promise<number>;
  close(): Promise<void>;
}
