import { z } from 'zod';
import { tone } from './message.ts';

/** One query's evidence: the trimmed table it returned, or why it is unavailable. */
export const evidenceItem = z.object({
  queryId: z.string(),
  title: z.string(),
  params: z.array(z.tuple([z.string(), z.string()])),
  outcome: z.discriminatedUnion('status', [
    z.object({
      status: z.literal('ok'),
      /** The one-line answer (value against threshold or baseline); absent in evidence saved before it. */
      headline: z.object({ text: z.string(), tone }).optional(),
      columns: z.array(z.string()),
      rows: z.array(z.array(z.string())),
      more: z.number().int().nonnegative(),
      partial: z.boolean(),
      /** What no rows means for this query, when it means more than "nothing matched". */
      empty: z.string().optional(),
    }),
    z.object({ status: z.literal('unavailable'), reason: z.string() }),
  ]),
  /** Milliseconds spent waiting for a free query engine, then running; absent in older evidence. */
  timing: z.object({ queuedMs: z.number(), runMs: z.number() }).optional(),
});
export type EvidenceItem = z.infer<typeof evidenceItem>;

export const incidentEvidence = z.object({
  incidentId: z.number().int().positive(),
  collectedAt: z.number(),
  items: z.array(evidenceItem),
});
export type IncidentEvidence = z.infer<typeof incidentEvidence>;

/** Evidence cached per replica, at most this many incidents (the most recently saved). */
export const EVIDENCE_CACHE_LIMIT = 5_000;

/**
 * This replica's copy of incident evidence, so that card renders read it without I/O. The evidence
 * repo shared by the replicas (store/evidence) is the truth; the module fills this from it (what
 * this replica collected, and what other replicas saved since it last looked). Holds the most
 * recently saved incidents.
 */
export class EvidenceCache {
  private readonly byIncident = new Map<number, IncidentEvidence>();

  constructor(private readonly limit = EVIDENCE_CACHE_LIMIT) {}

  get(incidentId: number): IncidentEvidence | undefined {
    return this.byIncident.get(incidentId);
  }

  /** Keeps the evidence, replacing older evidence of the incident; forgets the oldest past the limit. */
  put(evidence: IncidentEvidence): void {
    this.byIncident.delete(evidence.incidentId);
    this.byIncident.set(evidence.incidentId, evidence);
    for (const oldest of this.byIncident.keys()) {
      if (this.byIncident.size <= this.limit) break;
      this.byIncident.delete(oldest);
    }
  }

  get size(): number {
    return this.byIncident.size;
  }
}
