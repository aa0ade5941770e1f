/**
 * Evaluates the offline question router: `tsx scripts/eval-questions.ts [--file other.jsonl]`.
 * Prints query-id accuracy, exact-parameter accuracy, refusal precision/recall, latency, misses.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { evaluateRouter, parseEvalCases } from '../handlers/questions/evaluate-router.ts';
import { createQuestionRouter } from '../handlers/questions/route-question.ts';
import { questionCatalog, questionInventory } from '../test/fixtures/questions/catalog.ts';

const DEFAULT_FILE = new URL('../test/fixtures/questions/eval.jsonl', import.meta.url);

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const file = argValue('--file') ?? DEFAULT_FILE;
const cases = parseEvalCases(readFileSync(file, 'utf8'));
const router = createQuestionRouter({ queries: questionCatalog, inventory: questionInventory });
const options = {
  defaultNow: new Date('2026-11-28T14:00:00Z'),
  defaultTimeZone: 'UTC',
  timer: () => performance.now(),
};
evaluateRouter(router, cases, options); // warm-up: JIT and Intl formatters
const r = evaluateRouter(router, cases, options);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
for (const m of r.misses)
  console.log(
    `MISS ${JSON.stringify(m.question)}\n  expected ${JSON.stringify(m.expected)}\n  got      ${JSON.stringify(m.got)}`,
  );
console.log(`questions            ${r.total} (${r.queryCases} expecting a query)`);
console.log(`query-id accuracy    ${pct(r.idAccuracy)}   (target ≥ 95 %)`);
console.log(`exact parameters     ${pct(r.exactParamAccuracy)}   (target ≥ 90 %)`);
console.log(`refusal precision    ${pct(r.refusalPrecision)}`);
console.log(`refusal recall       ${pct(r.refusalRecall)}`);
console.log(`non-query cases safe ${pct(r.nonQuerySafe)}   (target 100 %)`);
console.log(`wrong queries run    ${r.wrongQueriesRun}`);
console.log(
  `latency p50 / p99    ${r.latencyP50Ms.toFixed(3)} ms / ${r.latencyP99Ms.toFixed(3)} ms   (target p99 < 10 ms)`,
);
