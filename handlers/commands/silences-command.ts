import { z } from 'zod';
import { formatTime } from '../../cards/templates/format.ts';
import { textReply } from '../../cards/templates/incident-replies.ts';
import { formatIncidentId } from '../../core/alerts/incident.ts';
import { formatMatcher } from '../../core/alerts/matchers.ts';
import { formatDuration, parseDuration } from '../../core/duration.ts';
import { UserFacingError } from '../../core/errors.ts';
import { buildMessage, type Message } from '../../core/message.ts';
import { expireSilence } from '../alerts/incident-actions.ts';
import { extendSilence } from '../lifecycle/lifecycle-actions.ts';
import { defineCommand, type HandlerDeps } from './command.ts';

const USAGE = '/silences [extend <#> <duration> | expire <#>]';
const silenceNumber = z
  .string()
  .regex(/^#?\d{1,9}$/, 'write the silence number, e.g. 3')
  .transform((t) => Number(t.replace('#', '')));

/** `/silences`, `/silences extend 3 2h`, `/silences expire 3`. */
const silencesArgs = z.object({ positional: z.array(z.string()) }).transform(({ positional }, ctx) => {
  const [verb, id, duration, ...rest] = positional;
  if (verb === undefined) return { kind: 'list' as const };
  const number = silenceNumber.safeParse(id);
  if ((verb === 'extend' || verb === 'expire') && !number.success) {
    ctx.addIssue({
      code: 'custom',
      message: `which silence? e.g. /silences ${verb} 3${verb === 'extend' ? ' 2h' : ''}`,
    });
    return z.NEVER;
  }
  if (verb === 'expire' && duration === undefined) return { kind: 'expire' as const, id: number.data! };
  const byMs = duration === undefined ? undefined : parseDuration(duration);
  if (verb === 'extend' && byMs !== undefined && rest.length === 0)
    return { kind: 'extend' as const, id: number.data!, byMs };
  ctx.addIssue({ code: 'custom', message: `write ${USAGE}` });
  return z.NEVER;
});

/** The active silences: what they match, why, who made them and until when. */
async function listSilences(deps: HandlerDeps): Promise<Message> {
  const active = await deps.store.silences.listActive(deps.clock.now());
  const tf = { timeZone: deps.policy.timeZone, now: deps.clock.now() };
  return buildMessage({
    header: { title: 'Active silences', status: 'info', subtitle: `${active.length} active` },
    sections: active.length
      ? [
          {
            kind: 'table',
            columns: ['#', 'Matchers', 'Comment', 'By', 'Until'],
            rows: active.map((s) => [
              String(s.id),
              s.matchers.map(formatMatcher).join(' '),
              s.comment || '-',
              s.createdBy,
              formatTime(s.endsAt, tf),
            ]),
          },
          {
            kind: 'text',
            text: 'Extend one with /silences extend <#> 2h; end one now with /silences expire <#>.',
          },
        ]
      : [{ kind: 'text', text: 'No active silences.' }],
  });
}

/** `/silences [extend <#> <duration> | expire <#>]`: list, extend and expire silences. */
export const silencesCommand = defineCommand({
  id: 'silences',
  usage: USAGE,
  description: 'List active silences (matchers, comment, who, until when); extend one or expire it now.',
  args: silencesArgs,
  async handle({ args, user }, deps) {
    if (args.kind === 'list') return listSilences(deps);
    if (args.kind === 'expire') {
      const silence = await deps.store.silences.get(args.id);
      if (!silence || silence.expiredAt !== null || silence.endsAt <= deps.clock.now())
        throw new UserFacingError('SILENCE_NOT_ACTIVE', `Silence #${args.id} is not active.`);
      const lifted = await expireSilence(deps, args.id, user);
      return textReply(
        `Silence #${args.id} expired by ${user.displayName}${lifted.length ? `; ${lifted.map(formatIncidentId).join(', ')} active again` : ''}.`,
      );
    }
    const { silence, incidentIds } = await extendSilence(deps, args.id, args.byMs, user);
    const tf = { timeZone: deps.policy.timeZone, now: deps.clock.now() };
    const covers = incidentIds.length ? `; covers ${incidentIds.map(formatIncidentId).join(', ')}` : '';
    return textReply(
      `Silence #${silence.id} extended by ${formatDuration(args.byMs)} by ${user.displayName}, until ${formatTime(silence.endsAt, tf)}${covers}.`,
    );
  },
});
