import { checkRange, maxSpanOf } from '../../queries/params.ts';
import { toConceptTerms } from './concept-tokens.ts';
import { detectInjection } from './detect-injection.ts';
import { extractSlots, type Slots } from './extract-slots.ts';
import type { Clock } from './extract-time.ts';
import { fillParams, slotOfParam } from './fill-params.ts';
import { type Inventory, type InventoryInput, inventorySchema } from './inventory.ts';
import type { InventorySource } from './live-inventory.ts';
import {
  buildQueryIndex,
  DEFAULT_RANK_WEIGHTS,
  type RankedQuery,
  type RankWeights,
  rankQueries,
} from './rank-queries.ts';
import type { RoutableQuery } from './routable-query.ts';
import type { Candidate, RouteDecision } from './route-decision.ts';
import { OUT_OF_SCOPE } from './synonyms.ts';

/** Tuning of the decision; the defaults are what the evaluation set was measured with. */
export interface RouterThresholds {
  /** Below this score nothing matched. */
  minScore: number;
  /** Below this lead of the top score over the second (as a share of the top) the router asks. */
  minConfidence: number;
  weights: RankWeights;
}

const constant =
  <T>(value: T) =>
  () =>
    value;

const DEFAULTS: RouterThresholds = { minScore: 1.2, minConfidence: 0.08, weights: DEFAULT_RANK_WEIGHTS };
const MAX_QUESTION = 500;
/** How far one query's text must lead on a lone word for that word to be a question, not a topic. */
const OWNED_WORD_LEAD = 2;

/** Imperatives the bot does not take as questions: those go through `/remediate` and approval. */
const ACTION_REQUEST =
  /^\s*(please\s+|can\s+you\s+|could\s+you\s+|pls\s+)?(restart|reboot|scale|drain|cordon|uncordon|kill|deploy|redeploy|roll\s*back|rollback|evict|stop|start|shut\s*down|delete|remove|create|silence|ack|acknowledge|approve|page|assign|fix|set|upgrade)\b/;

/** Generic words ("gpu", "status") pick a query only with a telling slot and another concept. */
function isSpecificEnough(top: RankedQuery, slots: Slots): boolean {
  if (
    top.specific ||
    slots.threshold ||
    slots.bucket ||
    slots.limit !== undefined ||
    slots.ratio !== undefined
  )
    return true;
  const named = slots.node ?? slots.deployment ?? slots.gpu;
  return named !== undefined && top.matched >= 2;
}

/** The offline question router: ranking plus slot filling, never query text from the user. */
export interface QuestionRouter {
  route(question: string, clock: Clock): RouteDecision;
}

function toCandidate(r: RankedQuery, slots: Slots): Candidate {
  return {
    id: r.query.id,
    title: r.query.title,
    params: fillParams(r.query, slots),
    score: Math.round(r.score * 100) / 100,
  };
}

function describeParams(params: Record<string, string | number>, slots: Slots): string[] {
  const out = Object.entries(params).map(([name, value]) => {
    if (slotOfParam(name) !== 'time' || !slots.time) return `${name}=${value}`;
    const { label, absolute, window } = slots.time;
    // A calendar range on a query that only looks back from now: say what it covers instead.
    return absolute && name !== 'start' && name !== 'end' ? `last ${window} (covering ${label})` : label;
  });
  return [...new Set(out)];
}

/** Why the range cannot run on this query (an end before the start, a span over its bound). */
function rangeProblem(query: RoutableQuery, params: Record<string, string | number>, now: Date) {
  const span = maxSpanOf(query.params);
  if (params.start === undefined || span === undefined) return undefined;
  const range = {
    start: String(params.start),
    ...(params.end === undefined ? {} : { end: String(params.end) }),
  };
  return checkRange(range, span, now.getTime());
}

function ignoredSlots(params: Record<string, string | number>, slots: Slots): string[] {
  const used = new Set(Object.keys(params).map(slotOfParam));
  const out: string[] = [];
  if (slots.time && !used.has('time')) out.push(slots.time.label);
  for (const k of ['node', 'deployment', 'appRole', 'team', 'operation', 'modelVersion', 'gpu'] as const)
    if (slots[k] !== undefined && !used.has(k)) out.push(`${k}=${slots[k]}`);
  if (slots.threshold && !used.has('thresholdMs') && !used.has('thresholdPct'))
    out.push(
      `threshold ${slots.threshold.direction} ${slots.threshold.value}${slots.threshold.unit === 'percent' ? '%' : slots.threshold.unit === 'ms' ? ' ms' : ''}`,
    );
  if (slots.ratio !== undefined && !used.has('ratio')) out.push(`${slots.ratio}x the baseline`);
  if (slots.percentile !== undefined) out.push(`p${slots.percentile} (all percentiles are shown)`);
  return out;
}

/** Builds a router over a catalog and an inventory (fixed, or a live source it follows). */
export function createQuestionRouter(options: {
  queries: readonly RoutableQuery[];
  /** Fixed names, or a source whose latest names each question reads (discovered inventory). */
  inventory: InventoryInput | InventorySource;
  thresholds?: Partial<RouterThresholds>;
}): QuestionRouter {
  const source: InventorySource =
    'current' in options.inventory
      ? options.inventory
      : { current: constant(inventorySchema.parse(options.inventory)) };
  let built: { inventory: Inventory; index: ReturnType<typeof buildQueryIndex> } | undefined;
  /** The index follows the inventory: rebuilt (cheap: the catalog's texts) when the names change. */
  const current = () => {
    const inventory = source.current();
    if (built?.inventory !== inventory)
      built = { inventory, index: buildQueryIndex(options.queries, inventory) };
    return built;
  };
  const t = { ...DEFAULTS, ...options.thresholds };
  const suggestions = options.queries.map((q) => ({ id: q.id, title: q.title, example: q.examples[0] }));
  const noMatch = (message: string): RouteDecision => ({ kind: 'no-match', message, suggestions });

  return {
    route(rawQuestion, clock) {
      const question = rawQuestion.slice(0, MAX_QUESTION);
      const injection = detectInjection(rawQuestion);
      if (injection) return { kind: 'refused', reason: injection, securityEvent: true };
      if (ACTION_REQUEST.test(question.toLowerCase()))
        return noMatch(
          'I answer questions with vetted queries; changes go through /remediate and an approval.',
        );
      const { inventory, index } = current();
      const { slots, rest } = extractSlots(question, clock, inventory);
      const terms = toConceptTerms(rest);
      if (terms.includes(OUT_OF_SCOPE))
        return noMatch('That is outside what my vetted queries cover. Here is what I can answer.');
      const ranked = rankQueries(index, terms, slots, t.weights);
      const [top, second] = ranked;
      if (!top || top.textScore <= 0)
        return noMatch("I couldn't match that to a vetted query. Here is what I can answer.");
      const candidates = ranked
        .filter((r) => r.textScore > 0)
        .slice(0, 3)
        .map((r) => toCandidate(r, slots));
      const confidence = Math.max(0, top.score - Math.max(0, second?.score ?? 0)) / Math.max(top.score, 1e-9);
      // One word that many queries share ("errors") is a topic, not a question.
      // A query that owns the word well ahead of the rest ("latency") still answers it.
      const runnerUp = ranked.slice(1).reduce((m, r) => Math.max(m, r.textScore), 0);
      const broad =
        new Set(terms).size === 1 &&
        candidates.length === 3 &&
        ranked.filter((r) => r.textScore > 0).length >= 4 &&
        top.textScore < OWNED_WORD_LEAD * runnerUp;
      if (top.score < t.minScore || confidence < t.minConfidence || broad || !isSpecificEnough(top, slots))
        return { kind: 'clarify', reason: 'ambiguous', message: 'Which of these did you mean?', candidates };
      const params = fillParams(top.query, slots);
      const parsed = top.query.params.safeParse(params);
      const badRange = parsed.success ? rangeProblem(top.query, params, clock.now) : undefined;
      if (badRange)
        return {
          kind: 'clarify',
          reason: 'invalid-params',
          message: `${top.query.title}: ${badRange}`,
          candidates,
        };
      if (!parsed.success) {
        const missing = parsed.error.issues.filter(
          (i) => i.path.length === 1 && params[String(i.path[0])] === undefined,
        );
        const problems = parsed.error.issues
          .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
          .join('; ');
        return missing.length > 0
          ? {
              kind: 'clarify',
              reason: 'missing-param',
              message: `${top.query.title} needs ${missing.map((i) => i.path.join('.')).join(', ')}; which one?`,
              candidates,
            }
          : {
              kind: 'clarify',
              reason: 'invalid-params',
              message: `${top.query.title}: ${problems}`,
              candidates,
            };
      }
      return {
        kind: 'query',
        id: top.query.id,
        title: top.query.title,
        source: top.query.source,
        params,
        interpretation: describeParams(params, slots),
        ignored: ignoredSlots(params, slots),
        confidence: Math.round(confidence * 1000) / 1000,
        alternatives: candidates.slice(1),
      };
    },
  };
}
