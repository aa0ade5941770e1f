import { z } from 'zod';
import { remediationAuditCard } from '../../cards/templates/remediation-audit.ts';
import { timeFormat } from '../../remediation/flow/deps.ts';
import type { RemediationService } from '../../remediation/flow/service.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import { resolveIncidentId } from '../commands/incident-ref.ts';

const LIMIT = 25;

/** `/audit [incident]`: the remediation audit log (an incident's, or the latest) and chain health. */
export function createAuditCommand(service: RemediationService): CommandHandler {
  return defineCommand({
    id: 'audit',
    usage: '/audit [incident]',
    description: 'Show the remediation audit log (of an incident in its thread) and check its hash chain.',
    args: z.object({ positional: z.array(z.string()).max(1) }),
    async handle({ args, incidentId }) {
      const explicit = args.positional[0];
      const id =
        explicit !== undefined || incidentId !== undefined
          ? resolveIncidentId(explicit, incidentId, '/audit INC-42')
          : undefined;
      const { records, check } = await service.audit(id, LIMIT + 1);
      const shown = records.slice(-LIMIT);
      return remediationAuditCard(
        shown,
        check,
        { incidentId: id, more: records.length - shown.length },
        timeFormat(service.deps),
      );
    },
  });
}
