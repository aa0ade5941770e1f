import { toConceptTerms } from './concept-tokens.ts';
import { extractSlots, type Slots } from './extract-slots.ts';
import { acceptedSlots, presentSlots, requiredParams, slotOfParam } from './fill-params.ts';
import type { Inventory } from './inventory.ts';
import type { RoutableQuery } from './routable-query.ts';
import { GENERIC_CONCEPTS } from './synonyms.ts';

/** A query with its score for one question. */
export interface RankedQuery {
  query: RoutableQuery;
  score: number;
  /** The text-only part of the score. */
  textScore: number;
  /** Whether a concept more specific than "gpu" or "status" matched. */
  specific: boolean;
  /** How many distinct question concepts this query's text has. */
  matched: number;
}

interface IndexedDoc {
  query: RoutableQuery;
  tf: Map<string, number>;
  accepts: ReturnType<typeof acceptedSlots>;
  /** Concept sets of the example questions, for near-verbatim matches, and whether each names a time. */
  examples: Array<{ terms: Set<string>; timed: boolean }>;
  required: string[];
  /** Percentiles the query reports ("P95" in its title or description). */
  percentiles: Set<number>;
  /** Concepts of the title: what the query is "per" ("Token cost per team"). */
  titleTerms: Set<string>;
}

/** An index over the catalog's titles, descriptions and example questions. */
export interface QueryIndex {
  docs: IndexedDoc[];
  idf: Map<string, number>;
  /** The highest weighted frequency of each term over all documents. */
  maxTf: Map<string, number>;
}

/** The idf of a term found in one document of an 11-query catalog, the size the weights were tuned on. */
const REFERENCE_IDF = Math.log(1 + 10.5 / 1.5);

function reportedPercentiles(text: string): Set<number> {
  return new Set([...text.matchAll(/\bp(\d{2})\b/gi)].map((m) => Number(m[1])));
}

const FIELD_WEIGHTS = { title: 2, description: 1, example: 1.5 };
const DOC_CLOCK = { now: new Date('2000-01-01T12:00:00Z'), timeZone: 'UTC' };

function termsOf(text: string, inventory: Inventory): string[] {
  return toConceptTerms(extractSlots(text, DOC_CLOCK, inventory).rest);
}

/** Builds the index once per catalog; documents go through the same slot extraction as questions. */
export function buildQueryIndex(queries: readonly RoutableQuery[], inventory: Inventory): QueryIndex {
  const docs = queries.map((query): IndexedDoc => {
    const tf = new Map<string, number>();
    const add = (text: string, weight: number) => {
      for (const t of termsOf(text, inventory)) tf.set(t, (tf.get(t) ?? 0) + weight);
    };
    add(query.title, FIELD_WEIGHTS.title);
    add(query.description, FIELD_WEIGHTS.description);
    for (const e of query.examples) add(e, FIELD_WEIGHTS.example);
    return {
      query,
      tf,
      examples: query.examples.map((e) => {
        const { slots, rest } = extractSlots(e, DOC_CLOCK, inventory);
        return { terms: new Set(toConceptTerms(rest)), timed: slots.time !== undefined };
      }),
      accepts: acceptedSlots(query),
      required: requiredParams(query),
      titleTerms: new Set(termsOf(query.title, inventory)),
      percentiles: reportedPercentiles(`${query.title} ${query.description}`),
    };
  });
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  // Scaled so a term in one document weighs the same whatever the catalog's size: the weights
  // and thresholds stay meaningful as queries are added.
  const scale = REFERENCE_IDF / Math.log(1 + (n - 0.5) / 1.5);
  const idf = new Map([...df].map(([t, f]) => [t, scale * Math.log(1 + (n - f + 0.5) / (f + 0.5))]));
  const maxTf = new Map<string, number>();
  for (const d of docs) for (const [t, f] of d.tf) maxTf.set(t, Math.max(maxTf.get(t) ?? 0, f));
  return { docs, idf, maxTf };
}

/** Slots that say which query is meant: a node wants a node query, a time a ranged one. */
const TELLING_SLOTS = new Set([
  'time',
  'bucket',
  'thresholdMs',
  'thresholdPct',
  'limit',
  'ratio',
  'gpu',
  'node',
  'deployment',
]);
/** Concepts that name what a result is broken down by, with the slot that names one of them. */
const DIMENSIONS = [
  ['team', 'team'],
  ['deployment', 'deployment'],
  ['role', 'appRole'],
] as const;

/** Weights of the score; the defaults are what the evaluation set was measured with. */
export interface RankWeights {
  slotBonus: number;
  foreignSlotPenalty: number;
  timelessBonus: number;
  genericWeight: number;
  exampleBonus: number;
  missingRequiredPenalty: number;
}

export const DEFAULT_RANK_WEIGHTS: RankWeights = {
  slotBonus: 1.2,
  foreignSlotPenalty: 1,
  timelessBonus: 2,
  genericWeight: 0.3,
  exampleBonus: 1.5,
  missingRequiredPenalty: 1.5,
};

/**
 * Jaccard similarity of the question's concepts with the closest example question of the same
 * shape: an example with a time range ("node-7 temperature over the last hour") is no near-copy
 * of a question without one ("is node-7 hot?"), and the other way round.
 */
function exampleOverlap(doc: IndexedDoc, terms: readonly string[], timed: boolean): number {
  let best = 0;
  for (const { terms: example, timed: exampleTimed } of doc.examples) {
    if (example.size === 0 || exampleTimed !== timed) continue;
    const common = terms.filter((t) => example.has(t)).length;
    best = Math.max(best, common / (example.size + terms.length - common));
  }
  return best;
}

/** How strongly a document owns a term compared with the document that uses it most. */
function shareOf(index: QueryIndex, doc: IndexedDoc, term: string): number {
  const tf = doc.tf.get(term) ?? 0;
  return tf === 0 ? 0 : tf / (index.maxTf.get(term) ?? tf);
}

/** The text part of a query's score: concept evidence weighted by idf and ownership. */
function scoreText(
  index: QueryIndex,
  doc: IndexedDoc,
  unique: readonly string[],
  w: RankWeights,
): { textScore: number; specific: boolean; matched: number } {
  let textScore = 0;
  let specific = false;
  let matched = 0;
  for (const t of unique) {
    const share = shareOf(index, doc, t);
    if (share === 0) continue;
    const generic = GENERIC_CONCEPTS.has(t);
    textScore += (index.idf.get(t) ?? 0) * share * (generic ? w.genericWeight : 1);
    if (!generic) specific = true;
    matched++;
  }
  return { textScore, specific, matched };
}

/**
 * Scores every query: for each concept of the question, its idf times how much this query owns
 * the concept relative to the query that mentions it most (so "latency" points at the latency
 * query, not at every description that mentions latency), plus a bonus for each slot the query
 * can use, penalties for slots it cannot use or a required parameter not given, and a small
 * preference for "now" queries when a node question names no time. Slot evidence only counts when
 * the words matched something, so "restart node-7" stays unmatched.
 */
export function rankQueries(
  index: QueryIndex,
  terms: readonly string[],
  slots: Slots,
  w: RankWeights = DEFAULT_RANK_WEIGHTS,
): RankedQuery[] {
  const unique = [...new Set(terms)];
  const present = presentSlots(slots);
  const texts = index.docs.map((doc) => scoreText(index, doc, unique, w));
  const bestText = Math.max(0, ...texts.map((t) => t.textScore));
  return index.docs
    .map((doc, i) => {
      const { textScore, specific, matched } = texts[i]!;
      let score = textScore + w.exampleBonus * exampleOverlap(doc, unique, present.has('time'));
      if (textScore > 0) {
        for (const s of present) {
          if (!TELLING_SLOTS.has(s)) continue;
          if (doc.accepts.has(s)) score += w.slotBonus;
          else if (s === 'node' || s === 'gpu' || s === 'time') score -= w.foreignSlotPenalty;
        }
        // "is node-7 hot?" asks about now: of the node queries, prefer the one without a range.
        const aboutNode = present.has('node') || present.has('gpu');
        // A tie-breaker among node queries the words fit, not a trump over a query they fit far better.
        if (aboutNode && !present.has('time') && !doc.accepts.has('time'))
          score += w.timelessBonus * Math.min(1, (2 * textScore) / bestText);
        // "which team …" wants the query that is per team; "the ml-platform team" names one, a filter.
        for (const [t, slot] of DIMENSIONS)
          if (unique.includes(t) && slots[slot] === undefined && doc.titleTerms.has(t)) score += w.slotBonus;
        // "p90 latency" wants a query that reports P90.
        if (slots.percentile !== undefined && doc.percentiles.has(slots.percentile)) score += w.slotBonus;
        const missing = doc.required.filter((p) => {
          const slot = slotOfParam(p);
          return !slot || !present.has(slot);
        });
        score -= w.missingRequiredPenalty * missing.length;
      }
      return { query: doc.query, score, textScore, specific, matched };
    })
    .sort((a, b) => b.score - a.score || a.query.id.localeCompare(b.query.id));
}
