import { z } from 'zod';
import { formatDuration, parseDuration } from '../../core/duration.ts';
import { AppError } from '../../core/errors.ts';
import { buildMessage, type Message, type MessageAction, type Section } from '../../core/message.ts';
import { slotOfParam } from './fill-params.ts';
import type { RoutableQuery } from './routable-query.ts';
import type { Candidate, RouteDecision } from './route-decision.ts';
import { formatMinutes } from './time-units.ts';

/** The verb of every button that runs a vetted query again with other parameters. */
export const ASK_RERUN_VERB = 'ask-rerun';

/** Data of an `ask-rerun` button; `params` is JSON and must be re-validated by the query's schema. */
export const askRerunData = z.object({ query: z.string().min(1), params: z.string() });

/** Reads an `ask-rerun` button press; the caller validates `params` with the query's zod schema. */
export function parseAskRerun(data: unknown): { query: string; params: Record<string, unknown> } {
  const d = askRerunData.parse(data);
  const params: unknown = JSON.parse(d.params);
  if (params === null || typeof params !== 'object' || Array.isArray(params))
    throw new AppError('ASK_RERUN_INVALID', 'ask-rerun params must be a JSON object');
  return { query: d.query, params: params as Record<string, unknown> };
}

function rerunAction(title: string, query: string, params: Record<string, string | number>): MessageAction {
  return {
    verb: ASK_RERUN_VERB,
    title: title.slice(0, 75),
    style: 'default',
    data: { query, params: JSON.stringify(params) },
  };
}

/** The time parameter of a query and its current value in milliseconds (given or default). */
function currentWindow(
  query: RoutableQuery,
  params: Record<string, string | number>,
): { name: string; ms: number } | undefined {
  const name = Object.keys(query.params.shape).find((p) => slotOfParam(p) === 'time');
  if (!name) return undefined;
  const given = params[name];
  if (typeof given === 'string') {
    const ms = parseDuration(given);
    return ms ? { name, ms } : undefined;
  }
  const fallback = (query.params.shape[name] as z.ZodType).safeParse(undefined);
  if (!fallback.success) return undefined;
  const ms =
    typeof fallback.data === 'number'
      ? fallback.data
      : typeof fallback.data === 'string'
        ? parseDuration(fallback.data)
        : undefined;
  return ms ? { name, ms } : undefined;
}

/** Widen (×4) and narrow (÷4) buttons, each only if the query's schema accepts the new range. */
function timeActions(query: RoutableQuery, params: Record<string, string | number>): MessageAction[] {
  // An absolute range replaces the look-back: a wider window would change nothing it shows.
  if (params.start !== undefined) return [];
  const current = currentWindow(query, params);
  if (!current) return [];
  const out: MessageAction[] = [];
  for (const [label, factor] of [
    ['Widen to', 4],
    ['Narrow to', 0.25],
  ] as const) {
    const next = formatMinutes((current.ms * factor) / 60_000);
    const candidate = { ...params, [current.name]: next.text };
    if (next.ms !== current.ms && query.params.safeParse(candidate).success)
      out.push(rerunAction(`${label} ${formatDuration(next.ms)}`, query.id, candidate));
  }
  return out;
}

type QueryDecision = Extract<RouteDecision, { kind: 'query' }>;

/**
 * The answer card: which vetted query ran with which parameters ("Interpreted as: …"), the
 * result sections the query produced, and buttons to widen/narrow the range or pick another
 * candidate.
 */
export function buildAnswerMessage(
  decision: QueryDecision,
  query: RoutableQuery,
  result: Section[] = [],
): Message {
  const line = ['Interpreted as: ' + decision.title, ...decision.interpretation].join(' · ');
  const sections: Section[] = [{ kind: 'text', text: line }];
  if (decision.ignored.length > 0)
    sections.push({
      kind: 'notice',
      tone: 'warning',
      text: `This query cannot filter on: ${decision.ignored.join(', ')}.`,
    });
  sections.push(...result);
  const others = decision.alternatives.map((c) => rerunAction(`Instead: ${c.title}`, c.id, c.params));
  return buildMessage({
    header: {
      title: decision.title,
      status: 'info',
      subtitle: `vetted ${decision.source.toUpperCase()} query ${decision.id}`,
    },
    sections,
    actions: [...timeActions(query, decision.params), ...others],
  });
}

function candidateButtons(candidates: readonly Candidate[]): MessageAction[] {
  return candidates.map((c) => rerunAction(c.title, c.id, c.params));
}

/** The clarifying card: the router's question and up to three candidate queries as buttons. */
export function buildClarifyMessage(decision: Extract<RouteDecision, { kind: 'clarify' }>): Message {
  return buildMessage({
    header: { title: 'Which question did you mean?', status: 'info' },
    sections: [{ kind: 'text', text: decision.message }],
    actions: candidateButtons(decision.candidates),
  });
}

/** Nothing matched: say so and list what the bot can answer, with an example for each. */
export function buildNoMatchMessage(decision: Extract<RouteDecision, { kind: 'no-match' }>): Message {
  return buildMessage({
    header: { title: "I can't answer that with a vetted query", status: 'info' },
    sections: [
      { kind: 'text', text: decision.message },
      {
        kind: 'table',
        title: 'What I can answer',
        columns: ['Query', 'Try asking'],
        rows: decision.suggestions.map((s) => [s.title, s.example ?? '']),
      },
    ],
  });
}

/** The refusal. The question is not echoed: it may carry links or text meant for someone else. */
export function buildRefusalMessage(): Message {
  return buildMessage({
    header: { title: 'Request refused', status: 'warning' },
    sections: [
      {
        kind: 'text',
        text: 'I answer questions only by running vetted queries with checked parameters. I do not run query text, change my instructions, reveal configuration or send data elsewhere.',
      },
      { kind: 'notice', tone: 'attention', text: 'This request was recorded as a security event.' },
    ],
  });
}

/** Too many questions in a short time. */
export function buildRateLimitedMessage(sentence: string): Message {
  return buildMessage({
    header: { title: 'Too many questions', status: 'warning' },
    sections: [{ kind: 'text', text: sentence }],
  });
}
