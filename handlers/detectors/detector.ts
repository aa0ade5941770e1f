import { z } from 'zod';
import type { AlertDetail, AlertKind, AlertResource, Tier } from '../../core/alerts/alert.ts';
import { AppError } from '../../core/errors.ts';
import type { LogsRun } from '../../queries/backends/logs-backend.ts';
import type { KqlCatalog } from '../../queries/catalog.ts';
import type { CostPolicy } from '../../queries/cost/cost-policy.ts';
import type { SpendAsk, SpendReport } from '../../queries/cost/spend-report.ts';

/**
 * One thing a detector found wrong: what it is about (`subject`, stable from run to run: a
 * deployment, a pipeline, an app role), in words, and the numbers that say so. Text is data: it
 * reaches cards as text, never as markup.
 */
export interface Finding {
  subject: string;
  summary: string;
  description: string;
  resource: AlertResource;
  /** The measured values behind the finding, by name (`z`, `psi`, `requests` …). */
  values: Record<string, number>;
  /** The comparison an engineer reads first (before → after), in order. */
  details: AlertDetail[];
  /** Extra labels a policy rule may match on (`model_version`, `pipeline` …). */
  labels?: Record<string, string>;
  /**
   * The finding's own kind and tier, for a detector whose findings differ (a budget overrun is a
   * P1 cost runaway, a forecast over budget a P3): else the detector's.
   */
  kind?: AlertKind;
  tier?: Exclude<Tier, 'log'>;
}

/** What a detector may do while it runs: vetted queries only, as background work. */
export interface DetectorContext {
  /** Runs a vetted query of the catalog, yielding to people's questions and incident evidence. */
  query(id: string, params: Readonly<Record<string, unknown>>): Promise<LogsRun>;
  /**
   * Spend through the vetted cost queries (`token-spend`, and `gpu-allocation` where there are GPU
   * metrics), priced by the policy's cost section, as background work like `query`.
   */
  spend(ask: SpendAsk): Promise<{ report: SpendReport; queryText: string }>;
  /** The policy's cost section: currency, prices, teams and the budgets. */
  cost: CostPolicy;
  /** Records a line in the bot's log: something worth knowing that opens nothing. */
  note(fields: Record<string, unknown>, message: string): void;
  now: number;
}

/** A run's answer: what is wrong now. A subject it found nothing wrong with is clear. */
export interface Evaluation {
  findings: Finding[];
  /** The query text of the run, shown as the detector's condition on its cards (the last query run). */
  queryText: string;
}

/**
 * A vetted detector: a reviewed definition like a vetted query. It names the queries it runs, its
 * tuning parameters (a zod schema: the policy file sets them, nothing else), the condition in
 * words, the tier and kind of what it opens, the evidence the card shows and the action it
 * suggests. `evaluate` runs the queries and applies the condition.
 */
export interface Detector<P extends z.ZodObject = z.ZodObject> {
  id: string;
  title: string;
  description: string;
  /** The vetted queries it runs (each must be in the catalog). */
  queries: readonly string[];
  /** Tuning parameters; defaults are the reviewed values. */
  params: P;
  /** The condition, in words, for `/help`-like listings and the README. */
  condition: string;
  kind: AlertKind;
  tier: Exclude<Tier, 'log'>;
  /**
   * Set when every finding carries its own tier (in words, for the policy check): then the
   * policy cannot set the detector's tier, since it would change nothing.
   */
  findingTiers?: string;
  /** How often it runs by default. */
  everyMs: number;
  /** What the incident card shows as evidence (the evidence policy of its kind). */
  evidence: string;
  /** The remediation its kind suggests, if any (remediation policy `suggestions`). */
  action?: string;
  evaluate(params: z.output<P>, ctx: DetectorContext): Promise<Evaluation>;
}

const definitionShape = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  title: z.string().min(3).max(80),
  description: z.string().min(10),
  queries: z.array(z.string()).min(1),
  params: z.instanceof(z.ZodObject),
  condition: z.string().min(10),
  everyMs: z.number().int().min(60_000),
  evidence: z.string().min(3),
});

/** Defines a detector; refuses at start-up one whose shape is wrong or whose defaults do not parse. */
export function defineDetector<P extends z.ZodObject>(def: Detector<P>): Detector<P> {
  const parsed = definitionShape.safeParse(def);
  if (!parsed.success)
    throw new AppError('DETECTOR_DEFINITION', `detector ${def.id}: ${z.prettifyError(parsed.error)}`);
  if (!def.params.safeParse({}).success)
    throw new AppError('DETECTOR_DEFINITION', `detector ${def.id}: its parameters need defaults`);
  return def;
}

/** Refuses a detector list that repeats an id or names a query the catalog does not have. */
export function checkDetectors(detectors: readonly Detector[], catalog: KqlCatalog): void {
  const seen = new Set<string>();
  for (const d of detectors) {
    if (seen.has(d.id)) throw new AppError('DETECTOR_DUPLICATE', `detector ${d.id} is listed twice`);
    seen.add(d.id);
    for (const q of d.queries)
      if (!catalog.has(q))
        throw new AppError('DETECTOR_DEFINITION', `detector ${d.id} runs ${q}, which is not a vetted query`);
  }
}
