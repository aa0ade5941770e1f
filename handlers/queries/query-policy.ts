import { z } from 'zod';
import type { ChatPlace, ChatUser } from '../../core/chat-surface.ts';
import { durationMs, formatDuration } from '../../core/duration.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { ParamValue } from '../../queries/bind-parameters.ts';
import { DEFAULT_TOKEN_PRICES } from '../../queries/kql/cost-per-team.ts';
import type { KqlQuery } from '../../queries/kql/define-kql-query.ts';
import { LOG_SOURCE_SETUP, type LogSource, logSource } from '../../queries/kql/log-sources.ts';
import { checkRange, maxSpanOf, type tokenPrice } from '../../queries/params.ts';

/** A platform-qualified user id, as chat adapters report them. */
const platformUser = z
  .string()
  .regex(
    /^(console|slack|teams):[\w.@:-]+$/,
    'write console:<name>, slack:<user id> or teams:<aad object id>',
  );

/** The policy file's `privateQueries`: who may run queries whose output identifies people. */
export const privateQueriesPolicy = z
  .object({
    /** Platform-qualified user ids allowed to run private queries, in a direct message only. */
    users: z.array(platformUser).default([]),
  })
  .strict();

const DAY = 86_400_000;

/**
 * The policy file's `retention`: how far back the Log Analytics workspace keeps rows (30 days by
 * default, as Azure does). No query looks further back, whatever its own bound allows.
 */
export const workspaceRetention = durationMs({ min: DAY, max: 730 * DAY }).prefault('30d');

/** What the policy file decides about running vetted queries. */
export interface QueryPolicy {
  /** The workspace retention in ms: the longest look-back of any query. */
  retention: number;
  /** Token prices per deployment (USD per 1,000 tokens), bound to queries' `prices` parameter. */
  pricing: Readonly<Record<string, z.output<typeof tokenPrice>>>;
  privateQueries: z.output<typeof privateQueriesPolicy>;
  /** The sources the workspace has; a query reading another is refused with what to turn on. */
  logSources: readonly LogSource[];
}

/** Who asked for a query, and where the answer will be posted. */
export interface QueryCaller {
  user: ChatUser;
  place: ChatPlace;
}

/** The policy used when none is configured: the reviewed default prices and nobody authorised. */
export const DEFAULT_QUERY_POLICY: QueryPolicy = {
  retention: 30 * DAY,
  pricing: DEFAULT_TOKEN_PRICES,
  privateQueries: { users: [] },
  logSources: ['app-insights'],
};

/** The policy file's `logSources`: what the workspace has (Application Insights by default). */
export const logSourcesPolicy = z.array(logSource).min(1).default(['app-insights']);

/** Refuses a query whose tables the workspace does not have, naming what would provide them. */
export function checkSource(query: KqlQuery, policy: QueryPolicy): void {
  if (policy.logSources.includes(query.source)) return;
  throw new UserFacingError(
    'KQL_SOURCE_MISSING',
    `${query.id} reads ${query.source} logs, which this workspace does not have: turn on ${LOG_SOURCE_SETUP[query.source]}, then add ${query.source} to logSources in the policy file.`,
  );
}

const guarded = new WeakSet<LogsBackend>();

/** Values the policy supplies for `configured` parameters, by parameter name. */
function configuredValues(policy: QueryPolicy): Record<string, ParamValue> {
  return { prices: policy.pricing };
}

/**
 * Refuses a private query (its output identifies people) unless a caller on the authorised list
 * asked in a direct message with the bot. With no caller (incident evidence, questions routed
 * without one) it is always refused.
 */
export function checkPrivateAccess(
  query: KqlQuery,
  caller: QueryCaller | undefined,
  policy: QueryPolicy,
): void {
  if (!query.private) return;
  const why = `${query.id} shows user identities, so it is answered only in a direct message to an authorised user`;
  if (!caller)
    throw new UserFacingError(
      'KQL_PRIVATE_QUERY',
      `${why}; ask for it with /kql ${query.id} in a direct message.`,
    );
  if (!caller.place.direct)
    throw new UserFacingError(
      'KQL_PRIVATE_QUERY',
      `${why}, never in a channel. Send /kql ${query.id} to the bot in a direct message.`,
    );
  if (!policy.privateQueries.users.includes(caller.user.id))
    throw new UserFacingError(
      'KQL_PRIVATE_FORBIDDEN',
      `${why}, and ${caller.user.id} is not one of them: the policy file's privateQueries.users lists who is.`,
    );
}

/**
 * Refuses a time range the workspace cannot answer or the query is not bounded for: a window
 * longer than the retention, a start before it, or an absolute range longer than the query's
 * longest window. Values are checked as the query's zod schema reads them.
 */
export function checkTimeRange(
  query: KqlQuery,
  raw: Readonly<Record<string, unknown>>,
  retention: number,
  now: number,
): void {
  const parsed = query.params.safeParse(raw);
  if (!parsed.success) return; // the backend names the bad parameter
  const p = parsed.data as { window?: number; recent?: number; start?: string; end?: string };
  const refuse = (why: string) => {
    throw new UserFacingError('KQL_RANGE', `${query.id}: ${why}.`);
  };
  const lookBack = p.window ?? p.recent;
  if (p.start === undefined && lookBack !== undefined && lookBack > retention)
    refuse(`the workspace keeps ${formatDuration(retention)} of data; ask for at most that`);
  if (p.start !== undefined && Date.parse(p.start) < now - retention)
    refuse(`${p.start} is older than the workspace keeps data (${formatDuration(retention)})`);
  const span = maxSpanOf(query.params);
  const why = span === undefined ? undefined : checkRange(p, span, now);
  if (why) refuse(why);
}

/**
 * Wraps a logs backend so every path that runs vetted queries (the `/kql` command, incident
 * evidence, questions) obeys the policy: private queries only for authorised users in a direct
 * message, configured parameters (the price table) only from the policy, never from chat, and
 * time ranges within the workspace retention and the query's bound (`now` reads the clock).
 * Configured values are left out of the run's parameters (the card shows them in the KQL text).
 */
export function withQueryPolicy(backend: LogsBackend, policy: QueryPolicy, now: () => number): LogsBackend {
  // Wrapping twice would refuse the configured values the first wrapper supplied.
  if (guarded.has(backend)) return backend;
  const configured = configuredValues(policy);
  const wrapped: LogsBackend = {
    kind: backend.kind,
    catalog: backend.catalog,
    async run(id, raw, options) {
      const query = backend.catalog.get(id);
      if (!query) return backend.run(id, raw, options); // the backend names the unknown query
      checkSource(query, policy);
      checkPrivateAccess(query, options?.caller, policy);
      checkTimeRange(query, raw, policy.retention, now());
      const params: Record<string, unknown> = { ...raw };
      for (const name of query.configured) {
        if (params[name] !== undefined)
          throw new UserFacingError(
            'KQL_CONFIGURED_PARAMETER',
            `Parameter "${name}" of ${query.id} is set in the policy file, not in chat.`,
          );
        if (configured[name] === undefined)
          throw new UserFacingError(
            'KQL_CONFIGURED_PARAMETER',
            `No policy value for "${name}" of ${query.id}.`,
          );
        params[name] = configured[name];
      }
      const run = await backend.run(id, params, options);
      const shown = Object.fromEntries(
        Object.entries(run.params).filter(([k]) => !query.configured.includes(k)),
      );
      return { ...run, params: shown };
    },
  };
  guarded.add(wrapped);
  return wrapped;
}
