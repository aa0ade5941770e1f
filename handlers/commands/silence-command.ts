import { z } from 'zod';
import { textReply } from '../../cards/templates/incident-replies.ts';
import { formatIncidentId, parseIncidentId } from '../../core/alerts/incident.ts';
import { formatMatcher, type Matcher, parseMatcher } from '../../core/alerts/matchers.ts';
import type { Silence } from '../../core/alerts/silence.ts';
import type { ChatUser } from '../../core/chat-surface.ts';
import { formatDuration, parseDuration } from '../../core/duration.ts';
import { UserFacingError } from '../../core/errors.ts';
import { createSilence, expireSilence } from '../alerts/incident-actions.ts';
import { BULK_MAX, forEachIncident } from '../lifecycle/bulk.ts';
import { type ButtonHandler, defineCommand, type HandlerDeps, tokenize } from './command.ts';
import { resolveIncidentId } from './incident-ref.ts';
import { unknownLabelWarnings } from './silence-labels.ts';

const MATCHER_LIKE = /^[A-Za-z_][\w.]*(=~|!~|!=|=)/;

/** `/silence` arguments: matchers, one duration, incident ids, the rest is a comment. */
const silenceArgs = z.object({ raw: z.string() }).transform(({ raw }) => {
  const matchers = [];
  const comment: string[] = [];
  let durationMs: number | undefined;
  const incidents: number[] = [];
  for (const token of tokenize(raw)) {
    if (MATCHER_LIKE.test(token)) matchers.push(parseMatcher(token));
    else if (durationMs === undefined && parseDuration(token) !== undefined)
      durationMs = parseDuration(token);
    else if (/^(inc-|#)\d+(,(inc-|#)?\d+)*$/i.test(token))
      incidents.push(...token.split(',').map((t) => parseIncidentId(t)!));
    else comment.push(token);
  }
  return { matchers, durationMs, incidents: [...new Set(incidents)], comment: comment.join(' ') };
});

/** The one reply to a silence: what it matches, its comment, whom it covers, how to lift it. */
function silencedText(
  result: { silence: Silence; incidentIds: number[] },
  durationMs: number,
  by: string,
): string {
  const s = result.silence;
  const covered = result.incidentIds.length
    ? `covers ${result.incidentIds.map(formatIncidentId).join(', ')}`
    : 'no open incident matches yet; new alerts that match will not be announced';
  const comment = s.comment ? ` Comment: "${s.comment}".` : '';
  return `Silence #${s.id} by ${by} for ${formatDuration(durationMs)} (${s.matchers.map(formatMatcher).join(' ')}): ${covered}.${comment} Lift it with /unsilence ${s.id}.`;
}

/** `/silence <matchers…> <duration> [comment]`, or `/silence 2h` in an incident's thread. */
export const silenceCommand = defineCommand({
  id: 'silence',
  usage: '/silence [matchers…|incident…] [duration] [comment]',
  description:
    'Silence alerts matching label matchers (Hostname=node-7 alertname=~Gpu.*), or incidents (INC-8 INC-9), for a duration (default 1h), with an optional comment.',
  args: silenceArgs,
  async handle({ args, user, incidentId }, deps: HandlerDeps) {
    if (args.incidents.length > 1) return silenceSeveral(deps, args, user);
    const target = args.incidents[0] ?? (args.matchers.length === 0 ? incidentId : undefined);
    if (args.matchers.length === 0 && target === undefined) {
      throw new UserFacingError(
        'SILENCE_NEEDS_MATCHERS',
        'Say what to silence: /silence alertname=GpuTempHigh Hostname=node-7 2h, or use /silence 2h in an incident thread.',
      );
    }
    const durationMs = args.durationMs ?? deps.policy.silences.defaultDuration;
    const result = await createSilence(deps, {
      matchers: args.matchers,
      durationMs,
      user,
      comment: args.comment,
      incidentId: target,
    });
    const warnings = await unknownLabelWarnings(deps, args.matchers);
    const text = silencedText(result, durationMs, user.displayName);
    return warnings.length
      ? textReply(
          `${text}\n${warnings.join('\n')} Lift it with /unsilence ${result.silence.id} and try again.`,
          'warning',
        )
      : textReply(text);
  },
});

/** `/silence INC-8 INC-9 2h`: each incident under a silence of its own labels; one reply. */
async function silenceSeveral(
  deps: HandlerDeps,
  args: { matchers: Matcher[]; durationMs: number | undefined; incidents: number[]; comment: string },
  user: ChatUser,
) {
  if (args.matchers.length > 0)
    throw new UserFacingError(
      'SILENCE_MATCHERS_OR_INCIDENTS',
      'Silence either by label matchers or by incidents, not both in one command.',
    );
  if (args.incidents.length > BULK_MAX)
    throw new UserFacingError('TOO_MANY_INCIDENTS', `Silence at most ${BULK_MAX} incidents at once.`);
  const durationMs = args.durationMs ?? deps.policy.silences.defaultDuration;
  const result = await forEachIncident(args.incidents, (id) =>
    silenceOne(deps, id, { durationMs, user, comment: args.comment }),
  );
  return textReply(result.lines.join('\n'), result.failed > 0 ? 'warning' : 'default');
}

/** Silences one incident by its own labels unless a silence already covers it. */
export async function silenceOne(
  deps: HandlerDeps,
  id: number,
  input: { durationMs: number; user: ChatUser; comment: string },
): Promise<string> {
  const incident = await deps.store.incidents.get(id);
  if (incident?.silenceId != null)
    return `${formatIncidentId(id)} is already under silence #${incident.silenceId}.`;
  const result = await createSilence(deps, { matchers: [], ...input, incidentId: id });
  const also = result.incidentIds.filter((other) => other !== id);
  return `${formatIncidentId(id)} silenced for ${formatDuration(input.durationMs)} (#${result.silence.id}${also.length ? `, also covers ${also.map(formatIncidentId).join(', ')}` : ''}).`;
}

/** `/unsilence <silence id>`. */
export const unsilenceCommand = defineCommand({
  id: 'unsilence',
  usage: '/unsilence <silence id>',
  description: 'Lift a silence before it ends.',
  args: z.object({ positional: z.tuple([z.string().regex(/^#?\d+$/, 'write the silence number, e.g. 3')]) }),
  async handle({ args, user }, deps) {
    const id = Number(args.positional[0].replace('#', ''));
    const lifted = await expireSilence(deps, id, user);
    return textReply(
      `Silence #${id} lifted${lifted.length ? `; ${lifted.map(formatIncidentId).join(', ')} active again` : ''}.`,
    );
  },
});

/** The Silence button (its duration comes from the card's choice input). */
export const silenceButton: ButtonHandler = {
  verb: 'silence',
  async handle({ data, user, incidentId }, deps) {
    const id = resolveIncidentId(data.incidentId, incidentId, '/silence INC-42 1h');
    const durationMs = parseDuration(String(data.duration ?? '')) ?? deps.policy.silences.defaultDuration;
    const result = await createSilence(deps, {
      matchers: [],
      durationMs,
      user,
      comment: 'from the card',
      incidentId: id,
    });
    return textReply(silencedText(result, durationMs, user.displayName));
  },
};

/** The Unsilence button of a silenced incident's card. */
export const unsilenceButton: ButtonHandler = {
  verb: 'unsilence',
  async handle({ data, user, incidentId }, deps) {
    const id = resolveIncidentId(data.incidentId, incidentId, '/unsilence <silence id>');
    const incident = await deps.store.incidents.get(id);
    if (incident?.silenceId == null) return textReply(`${formatIncidentId(id)} is not silenced.`);
    await expireSilence(deps, incident.silenceId, user);
    return textReply(`Silence #${incident.silenceId} lifted by ${user.displayName}.`);
  },
};
