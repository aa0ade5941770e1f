import type { Counter } from 'prom-client';
import type { Logger } from '../../../core/logger.ts';
import { createSecretScrubber } from '../../../core/secret-scrubber.ts';
import { type ChatCompletionsClient, classifyError } from '../../../queries/llm/llm-client.ts';
import type { Clock } from '../extract-time.ts';
import type { RoutableQuery } from '../routable-query.ts';
import { type Candidate, type RouteDecision, routeDecision } from '../route-decision.ts';
import type { QuestionRouter } from '../route-question.ts';
import { type LlmFailure, readToolCall, type TokenUsage } from './llm-response.ts';
import { buildSystemPrompt } from './system-prompt.ts';
import { parseJson, parseQueryArguments } from './tool-arguments.ts';
import {
  buildTools,
  CLARIFY_TOOL,
  clarifyArgsSchema,
  DECLINE_TOOL,
  declineArgsSchema,
} from './tool-schemas.ts';

/** Longest question sent to the model (the offline router reads the same prefix). */
const MAX_QUESTION = 500;

/** A router that may wait on the network; the offline router fits it too. */
export interface AsyncQuestionRouter {
  route(question: string, clock: Clock): RouteDecision | Promise<RouteDecision>;
}

/** The bot's own AI cost and the router's outcomes (prom-client counters of bot/metrics.ts). */
export interface LlmMetrics {
  llmTokens: Counter<'kind'>;
  llmRequests: Counter<'outcome'>;
}

export interface LlmRouterOptions {
  client: ChatCompletionsClient;
  /** Model (OpenAI) or deployment (Azure) name. */
  model: string;
  queries: readonly RoutableQuery[];
  /** Runs first (injection refusals never reach the model) and answers whenever the LLM fails. */
  offline: QuestionRouter;
  timeoutMs: number;
  logger: Logger;
  metrics?: LlmMetrics;
  /** Scrubbed from anything logged, on top of the logger's own scrubbing. */
  apiKey?: string;
}

type Outcome = 'query' | 'clarify' | 'declined' | LlmFailure;
type Decided = { ok: true; decision: RouteDecision; outcome: Outcome } | { ok: false; failure: LlmFailure };

/** Parameters the offline router filled for a query, so buttons keep what the question said. */
function offlineParams(offline: RouteDecision): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  if (offline.kind === 'query') {
    out.set(offline.id, { id: offline.id, title: offline.title, params: offline.params, score: 1 });
    for (const c of offline.alternatives) out.set(c.id, c);
  }
  if (offline.kind === 'clarify') for (const c of offline.candidates) out.set(c.id, c);
  return out;
}

/**
 * The optional LLM question router: each vetted query is a strict function tool, the model picks
 * one and its arguments, and the arguments are validated again with the query's zod schema. It
 * returns the offline router's decision shape, so cards and buttons do not change. Any failure
 * (HTTP error, timeout, prose, several calls, unknown tool, bad arguments) falls back to the
 * offline router's decision and is logged and counted; the model can never produce query text.
 */
export function createLlmRouter(options: LlmRouterOptions): AsyncQuestionRouter {
  const tools = buildTools(options.queries);
  const byId = new Map(options.queries.map((q) => [q.id, q]));
  const clarifyArgs = clarifyArgsSchema(options.queries.map((q) => q.id) as [string, ...string[]]);
  const suggestions = options.queries.map((q) => ({ id: q.id, title: q.title, example: q.examples[0] }));
  const scrub = createSecretScrubber([options.apiKey]);

  function count(outcome: Outcome, usage: TokenUsage | undefined): void {
    options.metrics?.llmRequests.inc({ outcome });
    if (usage) {
      options.metrics?.llmTokens.inc({ kind: 'prompt' }, usage.prompt);
      options.metrics?.llmTokens.inc({ kind: 'completion' }, usage.completion);
    }
  }

  function decide(name: string, args: string, offline: RouteDecision): Decided {
    const known = offlineParams(offline);
    if (name === DECLINE_TOOL) {
      const parsed = declineArgsSchema.safeParse(parseJson(args));
      if (!parsed.success) return { ok: false, failure: 'invalid-arguments' };
      const decision: RouteDecision =
        parsed.data.reason === 'hostile'
          ? { kind: 'refused', reason: 'instruction-override', securityEvent: true }
          : parsed.data.reason === 'change-request'
            ? {
                kind: 'no-match',
                message:
                  'I answer questions with vetted queries; changes go through /remediate and an approval.',
                suggestions,
              }
            : {
                kind: 'no-match',
                message: 'That is outside what my vetted queries cover. Here is what I can answer.',
                suggestions,
              };
      return { ok: true, decision, outcome: 'declined' };
    }
    if (name === CLARIFY_TOOL) {
      const parsed = clarifyArgs.safeParse(parseJson(args));
      if (!parsed.success) return { ok: false, failure: 'invalid-arguments' };
      const candidates = [...new Set(parsed.data.candidates)].map((id) => ({
        id,
        title: byId.get(id)!.title,
        params: known.get(id)?.params ?? {},
        score: 0,
      }));
      return {
        ok: true,
        decision: {
          kind: 'clarify',
          reason: 'ambiguous',
          message: 'Which of these did you mean?',
          candidates,
        },
        outcome: 'clarify',
      };
    }
    const query = byId.get(name);
    if (!query) return { ok: false, failure: 'unknown-tool' };
    const parsed = parseQueryArguments(query, args);
    if (!parsed.ok) return parsed;
    const decision: RouteDecision = {
      kind: 'query',
      id: query.id,
      title: query.title,
      source: query.source,
      params: parsed.params,
      interpretation: Object.entries(parsed.params).map(([k, v]) => `${k}=${v}`),
      ignored: [],
      confidence: 1,
      alternatives: [...known.values()].filter((c) => c.id !== query.id).slice(0, 2),
    };
    return { ok: true, decision, outcome: 'query' };
  }

  return {
    async route(question, clock) {
      const offline = options.offline.route(question, clock);
      // Injection attempts are refused (and recorded by the caller) before any model sees them.
      if (offline.kind === 'refused') return offline;
      const started = performance.now();
      const log = (outcome: Outcome, usage: TokenUsage | undefined, extra: Record<string, unknown> = {}) => {
        count(outcome, usage);
        const fields = {
          event: 'llm-route',
          model: options.model,
          outcome,
          promptTokens: usage?.prompt ?? 0,
          completionTokens: usage?.completion ?? 0,
          ms: Math.round(performance.now() - started),
          ...extra,
        };
        if (outcome === 'query' || outcome === 'clarify' || outcome === 'declined')
          options.logger.info(fields, 'question routed by the LLM');
        else
          options.logger.warn(
            { ...fields, fallback: offline.kind },
            'LLM router failed; offline router answered',
          );
      };
      let response: unknown;
      try {
        response = await options.client.chat.completions.create(
          {
            model: options.model,
            messages: [
              { role: 'system', content: buildSystemPrompt(clock) },
              { role: 'user', content: question.slice(0, MAX_QUESTION) },
            ],
            tools,
            tool_choice: 'required',
            parallel_tool_calls: false,
            temperature: 0,
          },
          { timeout: options.timeoutMs, maxRetries: 0, signal: AbortSignal.timeout(options.timeoutMs) },
        );
      } catch (err) {
        const { failure, status } = classifyError(err);
        const detail = err instanceof Error ? scrub(err.message).slice(0, 200) : undefined;
        log(failure, undefined, { status, detail });
        return offline;
      }
      const call = readToolCall(response);
      if (!call.ok) {
        log(call.failure, call.usage);
        return offline;
      }
      const decided = decide(call.name, call.arguments, offline);
      if (!decided.ok) {
        log(decided.failure, call.usage, { tool: call.name.slice(0, 64) });
        return offline;
      }
      log(decided.outcome, call.usage, { tool: call.name });
      return routeDecision.parse(decided.decision);
    },
  };
}
