import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { incidentEvidence } from '../../core/evidence.ts';
import type { Logger } from '../../core/logger.ts';
import type { EvidenceRepo } from '../../store/evidence/evidence-repo.ts';

const EVIDENCE_FILE = /^INC-\d+\.json$/;

/**
 * Imports evidence that older versions kept as one JSON file per incident under
 * `<dataDir>/evidence/`, for incidents the repo has no evidence of. The files are left in place
 * (a rollback still finds them); importing again changes nothing. Returns how many were imported.
 */
export async function importEvidenceFiles(
  dataDir: string,
  repo: EvidenceRepo,
  now: number,
  logger: Logger,
): Promise<number> {
  const dir = join(dataDir, 'evidence');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => EVIDENCE_FILE.test(n));
  } catch {
    return 0; // no directory: nothing was ever kept in files
  }
  let imported = 0;
  for (const name of names) {
    let evidence: ReturnType<typeof incidentEvidence.parse>;
    try {
      evidence = incidentEvidence.parse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    } catch (err) {
      logger.warn({ err, code: 'EVIDENCE_FILE_INVALID', file: name }, 'evidence file not imported');
      continue;
    }
    if (await repo.saveIfMissing(evidence, now)) imported++;
  }
  if (imported > 0) logger.info({ imported, dir }, 'evidence files imported into the evidence store');
  return imported;
}
