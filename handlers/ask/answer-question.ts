import { resultTable } from '../../cards/templates/query-result.ts';
import { xidExplainCard } from '../../cards/templates/xid-explain.ts';
import type { Message, Section } from '../../core/message.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import { type CommandHandler, shownOf } from '../commands/command.ts';
import type { Asker } from '../module.ts';
import type { AsyncQuestionRouter } from '../questions/llm/llm-router.ts';
import {
  buildAnswerMessage,
  buildClarifyMessage,
  buildNoMatchMessage,
  buildRateLimitedMessage,
  buildRefusalMessage,
} from '../questions/question-cards.ts';
import type { RoutableQuery } from '../questions/routable-query.ts';
import type { RouteDecision } from '../questions/route-decision.ts';
import { buildSecurityEvent } from '../questions/security-event.ts';
import { xidAskedAbout } from '../questions/xid-question.ts';
import { describeLimit, type WorkLimiter } from '../rate-limit/work-limiter.ts';
import type { SecurityLog } from './security-log.ts';

export interface AnswerDeps {
  /** The offline router, or the LLM router that falls back to it. */
  router: AsyncQuestionRouter;
  queries: ReadonlyMap<string, RoutableQuery>;
  logs: LogsBackend | undefined;
  /** The `/gpu` command: GPU questions are answered with its card. */
  gpuCommand: CommandHandler | undefined;
  /** Questions take a token of the `ask` limits, per user and global. */
  limiter: WorkLimiter;
  security: SecurityLog;
  now: () => number;
  timeZone: string;
}

type QueryDecision = Extract<RouteDecision, { kind: 'query' }>;

/** Runs the chosen vetted query and returns the sections of its result. */
async function runDecision(deps: AnswerDeps, d: QueryDecision, asker: Asker): Promise<Section[]> {
  if (d.source === 'kql') {
    if (!deps.logs)
      return [{ kind: 'notice', tone: 'warning', text: 'No Log Analytics workspace is configured.' }];
    // The backend validates the parameters with the query's zod schema again before binding, and
    // answers a private query only to an authorised user in a direct message.
    const run = await deps.logs.run(d.id, d.params, { caller: { user: asker.user, place: asker.place } });
    const table: Section =
      run.result.rows.length === 0
        ? { kind: 'notice', tone: 'good', text: 'No rows: nothing matched.' }
        : resultTable(run);
    return [table, { kind: 'code', title: 'KQL that ran', code: run.text, collapsed: true }];
  }
  if (!deps.gpuCommand)
    return [{ kind: 'notice', tone: 'warning', text: 'No GPU metrics backend is configured.' }];
  const { node, gpu, range } = d.params;
  const named: Record<string, string> = {};
  if (gpu !== undefined) named.gpu = String(gpu);
  if (range !== undefined) named.range = String(range);
  const args = deps.gpuCommand.args.parse({ positional: node ? [String(node)] : [], named, raw: '' });
  const card: Message = shownOf(
    await deps.gpuCommand.handle(
      { args, user: asker.user, place: asker.place, incidentId: undefined },
      asker.handlerDeps,
    ),
  );
  return [...(card.facts.length ? [{ kind: 'facts' as const, facts: card.facts }] : []), ...card.sections];
}

/**
 * "What does XID 79 mean" is answered from the XID catalog, after the router had its say, so an
 * injection attempt that mentions an XID is still refused and recorded.
 */
function xidAnswer(question: string): Message | undefined {
  const xid = xidAskedAbout(question);
  return xid === undefined ? undefined : xidExplainCard(xid);
}

/**
 * A question in words → one vetted query with validated parameters, a clarifying card, a list of
 * what the bot can answer, or a refusal recorded as a security event. Never query text from the
 * question itself.
 */
export async function answerQuestion(deps: AnswerDeps, question: string, asker: Asker): Promise<Message> {
  const { user } = asker;
  const at = new Date(deps.now());
  const allowed = deps.limiter.take('ask', user.id);
  if (!allowed.allowed) {
    // Only a user's own flood is a security event; a busy bot is not that user's doing.
    if (allowed.scope === 'user')
      deps.security.record(buildSecurityEvent({ at, user: user.id, reason: 'rate-limited', question }));
    return buildRateLimitedMessage(describeLimit('ask', allowed));
  }
  const decision = await deps.router.route(question, { now: at, timeZone: deps.timeZone });
  switch (decision.kind) {
    case 'refused':
      deps.security.record(buildSecurityEvent({ at, user: user.id, reason: decision.reason, question }));
      return buildRefusalMessage();
    case 'clarify':
      return xidAnswer(question) ?? buildClarifyMessage(decision);
    case 'no-match':
      return xidAnswer(question) ?? buildNoMatchMessage(decision);
    case 'query':
      return (
        xidAnswer(question) ??
        buildAnswerMessage(decision, deps.queries.get(decision.id)!, await runDecision(deps, decision, asker))
      );
  }
}
