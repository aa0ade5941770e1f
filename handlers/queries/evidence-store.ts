import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** One query's evidence: the trimmed table it returned, or why it is unavailable. */
export const evidenceItem = z.object({
  queryId: z.string(),
  title: z.string(),
  params: z.array(z.tuple([z.string(), z.string()])),
  outcome: z.discriminatedUnion('status', [
    z.object({
      status: z.literal('ok'),
      columns: z.array(z.string()),
      rows: z.array(z.array(z.string())),
      more: z.number().int().nonnegative(),
      partial: z.boolean(),
    }),
    z.object({ status: z.literal('unavailable'), reason: z.string() }),
  ]),
});
export type EvidenceItem = z.infer<typeof evidenceItem>;

export const incidentEvidence = z.object({
  incidentId: z.number().int().positive(),
  collectedAt: z.number(),
  items: z.array(evidenceItem),
});
export type IncidentEvidence = z.infer<typeof incidentEvidence>;

/**
 * Evidence by incident id, as one JSON file per incident under `<dataDir>/evidence/` (engine-neutral:
 * the same with SQLite or PostgreSQL). Reads are served from memory so card renders do no I/O;
 * files let a restarted bot show evidence it already collected instead of running queries again.
 * With several replicas each keeps its own files; a replica that lacks them collects again.
 */
export class EvidenceStore {
  private readonly cache = new Map<number, IncidentEvidence>();
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'evidence');
    mkdirSync(this.dir, { recursive: true });
  }

  private file(incidentId: number): string {
    return join(this.dir, `INC-${incidentId}.json`);
  }

  /** The stored evidence of an incident, from memory (loaded from disk once). */
  get(incidentId: number): IncidentEvidence | undefined {
    return this.cache.get(incidentId);
  }

  /** Loads an incident's evidence file into memory, if there is one (never during a render). */
  load(incidentId: number): IncidentEvidence | undefined {
    try {
      const parsed = incidentEvidence.parse(JSON.parse(readFileSync(this.file(incidentId), 'utf8')));
      this.cache.set(incidentId, parsed);
      return parsed;
    } catch {
      return undefined;
    }
  }

  /** Saves atomically (write then rename), then serves it from memory. */
  save(evidence: IncidentEvidence): void {
    const valid = incidentEvidence.parse(evidence);
    const tmp = `${this.file(valid.incidentId)}.tmp`;
    writeFileSync(tmp, JSON.stringify(valid));
    renameSync(tmp, this.file(valid.incidentId));
    this.cache.set(valid.incidentId, valid);
  }
}
