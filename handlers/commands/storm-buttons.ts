import { z } from 'zod';
import { textReply } from '../../cards/templates/incident-replies.ts';
import { parseDuration } from '../../core/duration.ts';
import { UserFacingError } from '../../core/errors.ts';
import { acknowledgeIncident } from '../alerts/incident-actions.ts';
import { BULK_MAX, forEachIncident } from '../lifecycle/bulk.ts';
import type { ButtonHandler, HandlerDeps } from './command.ts';
import { silenceOne } from './silence-command.ts';

const stormData = z.object({ stormId: z.coerce.number().int().positive() });

/** The storm's incidents still firing, oldest first (at most {@link BULK_MAX}). */
async function firingOfStorm(deps: HandlerDeps, data: Record<string, unknown>): Promise<number[]> {
  const parsed = stormData.safeParse(data);
  if (!parsed.success) throw new UserFacingError('BAD_STORM', 'This button does not name a storm.');
  const incidents = await deps.store.storms.listIncidents(parsed.data.stormId);
  return incidents
    .filter((i) => i.status === 'open')
    .map((i) => i.id)
    .reverse()
    .slice(0, BULK_MAX);
}

function stormReply(result: { lines: string[]; failed: number }, none: string) {
  if (result.lines.length === 0) return textReply(none);
  return textReply(result.lines.join('\n'), result.failed > 0 ? 'warning' : 'good');
}

/** "Acknowledge all" on the storm card: every firing incident of the storm, one reply. */
export const stormAckButton: ButtonHandler = {
  verb: 'storm-ack',
  async handle({ data, user }, deps) {
    const ids = await firingOfStorm(deps, data);
    const result = await forEachIncident(ids, (id) => acknowledgeIncident(deps, id, user));
    return stormReply(result, 'No incident of the storm is firing.');
  },
};

/** "Silence all" on the storm card: each firing incident under a silence of its labels, one reply. */
export const stormSilenceButton: ButtonHandler = {
  verb: 'storm-silence',
  async handle({ data, user }, deps) {
    const ids = await firingOfStorm(deps, data);
    const durationMs = parseDuration(String(data.duration ?? '')) ?? deps.policy.silences.defaultDuration;
    const result = await forEachIncident(ids, (id) =>
      silenceOne(deps, id, { durationMs, user, comment: 'from the storm card' }),
    );
    return stormReply(result, 'No incident of the storm is firing.');
  },
};
