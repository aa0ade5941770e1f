import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { RouteDecision } from './route-decision.ts';
import type { QuestionRouter } from './route-question.ts';

/** One line of an evaluation file (JSONL). */
export const evalCaseSchema = z.object({
  question: z.string(),
  expect: z.object({
    kind: z.enum(['query', 'clarify', 'no-match', 'refused']),
    id: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
  now: z.iso.datetime().optional(),
  timeZone: z.string().optional(),
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

/** Parses JSONL text; a bad line is an error that names its line number. */
export function parseEvalCases(text: string): EvalCase[] {
  return text
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line.length > 0 && !line.startsWith('//'))
    .map(([line, n]) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new AppError('EVAL_BAD_LINE', `eval line ${n}: not JSON`);
      }
      const parsed = evalCaseSchema.safeParse(json);
      if (!parsed.success)
        throw new AppError(
          'EVAL_BAD_LINE',
          `eval line ${n}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      return parsed.data;
    });
}

/** One case that did not go as expected. */
export interface EvalMiss {
  question: string;
  expected: EvalCase['expect'];
  got: { kind: RouteDecision['kind']; id?: string; params?: Record<string, string | number> };
}

/** The figures the evaluation prints and the unit test asserts. */
export interface EvalReport {
  total: number;
  queryCases: number;
  idAccuracy: number;
  exactParamAccuracy: number;
  refusalPrecision: number;
  refusalRecall: number;
  /** Share of cases expecting anything but a query that did not run a query. */
  nonQuerySafe: number;
  /** Queries run with a different id than expected (any case). */
  wrongQueriesRun: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  misses: EvalMiss[];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

/**
 * Routes every case and scores it. Latency is measured around each `route` call with the
 * given high-resolution timer (`performance.now` in practice).
 */
export function evaluateRouter(
  router: QuestionRouter,
  cases: readonly EvalCase[],
  options: { defaultNow: Date; defaultTimeZone: string; timer: () => number },
): EvalReport {
  const latencies: number[] = [];
  const misses: EvalMiss[] = [];
  let queryCases = 0;
  let idHits = 0;
  let paramHits = 0;
  let refusedGot = 0;
  let refusedRight = 0;
  let refusedExpected = 0;
  let nonQueryCases = 0;
  let nonQuerySafe = 0;
  let wrongQueriesRun = 0;
  for (const c of cases) {
    const clock = {
      now: c.now ? new Date(c.now) : options.defaultNow,
      timeZone: c.timeZone ?? options.defaultTimeZone,
    };
    const t0 = options.timer();
    const d = router.route(c.question, clock);
    latencies.push(options.timer() - t0);
    const got = d.kind === 'query' ? { kind: d.kind, id: d.id, params: d.params } : { kind: d.kind };
    const e = c.expect;
    let ok = d.kind === e.kind;
    if (e.kind === 'query') {
      queryCases++;
      const idOk = d.kind === 'query' && d.id === e.id;
      const paramsOk = idOk && isDeepStrictEqual(d.params, e.params ?? {});
      if (idOk) idHits++;
      if (paramsOk) paramHits++;
      ok = paramsOk;
      if (d.kind === 'query' && !idOk) wrongQueriesRun++;
    } else {
      nonQueryCases++;
      if (d.kind !== 'query') nonQuerySafe++;
      else wrongQueriesRun++;
    }
    if (e.kind === 'refused') refusedExpected++;
    if (d.kind === 'refused') {
      refusedGot++;
      if (e.kind === 'refused') refusedRight++;
    }
    if (!ok) misses.push({ question: c.question, expected: e, got });
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    total: cases.length,
    queryCases,
    idAccuracy: ratio(idHits, queryCases),
    exactParamAccuracy: ratio(paramHits, queryCases),
    refusalPrecision: ratio(refusedRight, refusedGot),
    refusalRecall: ratio(refusedRight, refusedExpected),
    nonQuerySafe: ratio(nonQuerySafe, nonQueryCases),
    wrongQueriesRun,
    latencyP50Ms: percentile(sorted, 50),
    latencyP99Ms: percentile(sorted, 99),
    misses,
  };
}
