import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { buildMessage } from '../../core/message.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { KqlCatalog } from '../../queries/catalog.ts';
import { gpuQueries } from '../../queries/gpu/catalog.ts';
import { createLlmClient, type LlmEndpoint, modelOf } from '../../queries/llm/llm-client.ts';
import { type ButtonHandler, type CommandHandler, defineCommand } from '../commands/command.ts';
import type { BotModule, QuestionAnswerer } from '../module.ts';
import type { InventoryInput } from '../questions/inventory.ts';
import type { InventorySource } from '../questions/live-inventory.ts';
import { createLlmRouter, type LlmMetrics } from '../questions/llm/llm-router.ts';
import { ASK_RERUN_VERB, buildAnswerMessage, parseAskRerun } from '../questions/question-cards.ts';
import {
  type RoutableQuery,
  toRoutableGpuQueries,
  toRoutableKqlQueries,
} from '../questions/routable-query.ts';
import { createQuestionRouter } from '../questions/route-question.ts';
import { defaultRateLimits } from '../rate-limit/rate-limit-policy.ts';
import { WorkLimiter } from '../rate-limit/work-limiter.ts';
import { type AnswerDeps, answerQuestion } from './answer-question.ts';
import { createSecurityLog } from './security-log.ts';

export interface AskModuleOptions {
  catalog: KqlCatalog | undefined;
  logs: LogsBackend | undefined;
  gpuCommand: CommandHandler | undefined;
  /** Names the router may resolve fuzzy words to (deployments, app roles, teams, nodes): fixed or live. */
  inventory: InventoryInput | InventorySource;
  clock: Clock;
  timeZone: string;
  dataDir: string;
  /** The optional LLM router; without it questions go to the offline router only. */
  llm?: { endpoint: LlmEndpoint; timeoutMs: number; logger: Logger; metrics?: LlmMetrics };
  /** Rate limits shared with the other costly commands; the policy's defaults when absent. */
  limiter?: WorkLimiter;
}

/**
 * Plain-language questions answered only through vetted queries: `/ask`, direct questions (any
 * text that is not a command), the widen/narrow/other-candidate buttons, and `/security` to list
 * the refused attempts.
 */
/** The ask module, and the answerer the dispatcher hands plain questions to. */
export interface AskModule extends BotModule {
  answerQuestion: QuestionAnswerer;
}

export function createAskModule(options: AskModuleOptions): AskModule {
  const queries: RoutableQuery[] = [
    ...(options.catalog ? toRoutableKqlQueries(options.catalog) : []),
    ...(options.gpuCommand ? toRoutableGpuQueries(gpuQueries) : []),
  ];
  const byId = new Map(queries.map((q) => [q.id, q]));
  const security = createSecurityLog(join(options.dataDir, 'security-events.jsonl'));
  const offline = createQuestionRouter({ queries, inventory: options.inventory });
  const llm = options.llm;
  const deps: AnswerDeps = {
    router:
      llm && queries.length > 0
        ? createLlmRouter({
            client: createLlmClient(llm.endpoint, llm.timeoutMs),
            model: modelOf(llm.endpoint),
            queries,
            offline,
            timeoutMs: llm.timeoutMs,
            logger: llm.logger,
            metrics: llm.metrics,
            apiKey: llm.endpoint.apiKey,
          })
        : offline,
    queries: byId,
    logs: options.logs,
    gpuCommand: options.gpuCommand,
    limiter: options.limiter ?? new WorkLimiter(defaultRateLimits(), () => options.clock.now()),
    security,
    now: () => options.clock.now(),
    timeZone: options.timeZone,
  };

  const ask: CommandHandler = defineCommand({
    id: 'ask',
    usage: '/ask <question>',
    description: 'Ask in words ("429 rate on gpt-4o since midnight?"); answered only with vetted queries.',
    args: z.object({
      raw: z.string().min(1, 'ask a question, e.g. /ask what is the 429 rate on gpt-4o today?'),
    }),
    handle: ({ args, user, place }, handlerDeps) =>
      answerQuestion(deps, args.raw, { user, place, handlerDeps }),
  });

  const securityCommand: CommandHandler = defineCommand({
    id: 'security',
    usage: '/security',
    description: 'Recent refused questions (prompt injection, raw query text, exfiltration, floods).',
    args: z.object({}),
    async handle() {
      const events = security.recent(20);
      return buildMessage({
        header: {
          title: `${events.length} recent refused question${events.length === 1 ? '' : 's'}`,
          status: 'info',
        },
        sections: [
          {
            kind: 'table',
            columns: ['When', 'User', 'Reason', 'Question'],
            rows: events.map((e) => [
              e.at.replace('T', ' ').slice(0, 16),
              e.user,
              e.reason,
              e.question.slice(0, 120),
            ]),
          },
        ],
      });
    },
  });

  const rerun: ButtonHandler = {
    verb: ASK_RERUN_VERB,
    async handle({ data, user, place }, handlerDeps) {
      const { query, params } = parseAskRerun(data);
      const q = byId.get(query);
      if (!q) throw new UserFacingError('UNKNOWN_QUERY', `There is no vetted query "${query}".`);
      // Button data comes back from the chat platform: validate it like any other input.
      const checked = q.params.safeParse(params);
      if (!checked.success)
        throw new UserFacingError('BAD_PARAMETERS', `Those parameters are not valid for ${q.title}.`);
      const raw = Object.fromEntries(
        Object.entries(params).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
      ) as Record<string, string | number>;
      const decision = {
        kind: 'query' as const,
        id: q.id,
        title: q.title,
        source: q.source,
        params: raw,
        interpretation: Object.entries(raw).map(([k, v]) => `${k}=${v}`),
        ignored: [],
        confidence: 1,
        alternatives: [],
      };
      const answer = await answerQuestion({ ...deps, router: { route: () => decision } }, `rerun ${q.id}`, {
        user,
        place,
        handlerDeps,
      });
      return answer.header ? answer : buildAnswerMessage(decision, q, answer.sections);
    },
  };

  return {
    id: 'ask',
    commands: [ask, securityCommand],
    buttons: [rerun],
    answerQuestion: (question, asker) => answerQuestion(deps, question, asker),
  };
}
