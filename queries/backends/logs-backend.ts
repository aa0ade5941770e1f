import type { z } from 'zod';
import type { ChatPlace, ChatUser } from '../../core/chat-surface.ts';
import { AppError, UserFacingError } from '../../core/errors.ts';
import { bindParameters, type ParamValue } from '../bind-parameters.ts';
import type { KqlCatalog } from '../catalog.ts';
import type { QueryResult } from '../engine/types.ts';
import type { KqlQuery } from '../kql/define-kql-query.ts';
import { describeParam } from '../params.ts';

/** A Log Analytics table: typed columns and rows (datetimes as ISO text, timespans as `hh:mm:ss`). */
export interface LogsResult extends QueryResult {
  /** True when the service returned only part of the result (Log Analytics `PartialError`). */
  partial: boolean;
  /** Why the result is partial, as the service said it. */
  partialReason?: string;
}

/** What a result card needs of a vetted query, KQL or metric: what it is and how its result reads. */
export type QueryView = Pick<
  KqlQuery,
  'id' | 'title' | 'description' | 'columns' | 'headline' | 'show' | 'time' | 'params'
> & {
  /** What no rows means, when it means more than "nothing matched". */
  empty?: string | undefined;
};

/** One run of a vetted query: the validated parameters, the exact request that ran, and its result. */
export interface QueryRun {
  query: QueryView;
  params: Record<string, ParamValue>;
  /** What ran: the bound KQL text, or the metrics request as sent. */
  text: string;
  result: LogsResult;
  /** A link to the same query in the Azure portal (production only). */
  portalUrl?: string;
}

/** One run of a vetted KQL query. */
export interface LogsRun extends QueryRun {
  query: KqlQuery;
}

/** Runs vetted queries only: an id from the catalog and parameters checked by its zod schema. */
export interface LogsBackend {
  readonly kind: 'local' | 'azure';
  readonly catalog: KqlCatalog;
  run(
    id: string,
    params: Readonly<Record<string, unknown>>,
    options?: {
      timeoutMs?: number;
      /**
       * Called once when the query starts to run, after any wait for a free engine (the local
       * engine's worker threads); a backend that does not queue calls it at once. Run-time
       * budgets start here, so time spent waiting in line is not taken for a slow query.
       */
      onStarted?: () => void;
      /**
       * Withdraws the run when aborted, e.g. evidence for an incident that resolved meanwhile: a
       * run still waiting for an engine never starts, a call in flight is aborted where the
       * backend can; the run's promise then rejects.
       */
      signal?: AbortSignal;
      /**
       * The bot's own background work (detectors): yields to questions and evidence where the
       * backend queues (the local engine's threads); a remote backend runs it as any other.
       */
      background?: boolean;
      /** Who asked and where the answer goes; private queries need an authorised caller in a direct message. */
      caller?: { user: ChatUser; place: ChatPlace };
    },
  ): Promise<LogsRun>;
}

/** A run withdrawn through its signal before it answered. */
export function cancelledRun(): AppError {
  return new AppError('QUERY_CANCELLED', 'the query was withdrawn before it ran');
}

/** Parameter values that fail a query's schema: names the parameter and its allowed form. */
export class QueryParamError extends UserFacingError {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super('KQL_BAD_PARAMETER', message);
  }
}

/** Finds a vetted query or says which ones exist. */
export function findQuery(catalog: KqlCatalog, id: string): KqlQuery {
  const q = catalog.get(id);
  if (!q)
    throw new UserFacingError(
      'KQL_UNKNOWN_QUERY',
      `There is no vetted query "${id.slice(0, 80)}". Type /kql to list them.`,
    );
  return q;
}

/** Validates raw parameters (chat text or typed values) with the query's zod schema. */
export function validateParams(
  q: Pick<KqlQuery, 'id' | 'params'>,
  raw: Readonly<Record<string, unknown>>,
): Record<string, ParamValue> {
  const shape = q.params.shape as Record<string, z.ZodType>;
  for (const key of Object.keys(raw)) {
    if (!(key in shape)) {
      const names = Object.keys(shape).join(', ') || 'none';
      throw new QueryParamError(
        key,
        `${q.id} has no parameter "${key.slice(0, 40)}"; its parameters: ${names}.`,
      );
    }
  }
  const parsed = q.params.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? '');
    const form = shape[name] ? describeParam(shape[name])?.form : undefined;
    throw new QueryParamError(name, `Parameter "${name}" of ${q.id}: expected ${form ?? issue.message}.`);
  }
  // A range end not given and a filter left empty (all) are the file's own defaults: not bound,
  // so the run's parameters list only what was chosen.
  return Object.fromEntries(
    Object.entries(parsed.data as Record<string, ParamValue | undefined>).filter(
      (e): e is [string, ParamValue] => e[1] !== undefined && e[1] !== '',
    ),
  );
}

/** Validates parameters and binds them into the query's text (the only way query text is built). */
export function prepareRun(
  catalog: KqlCatalog,
  id: string,
  raw: Readonly<Record<string, unknown>>,
): { query: KqlQuery; params: Record<string, ParamValue>; text: string } {
  const query = findQuery(catalog, id);
  const params = validateParams(query, raw);
  return { query, params, text: bindParameters(query.text, params) };
}
