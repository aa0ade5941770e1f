import { z } from 'zod';
import type { ChatPlace, ChatUser } from '../../core/chat-surface.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { LogsBackend } from '../../queries/backends/logs-backend.ts';
import type { ParamValue } from '../../queries/bind-parameters.ts';
import { DEFAULT_TOKEN_PRICES } from '../../queries/kql/cost-per-team.ts';
import type { KqlQuery } from '../../queries/kql/define-kql-query.ts';
import type { tokenPrice } from '../../queries/params.ts';

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

/** What the policy file decides about running vetted queries. */
export interface QueryPolicy {
  /** Token prices per deployment (USD per 1,000 tokens), bound to queries' `prices` parameter. */
  pricing: Readonly<Record<string, z.output<typeof tokenPrice>>>;
  privateQueries: z.output<typeof privateQueriesPolicy>;
}

/** Who asked for a query, and where the answer will be posted. */
export interface QueryCaller {
  user: ChatUser;
  place: ChatPlace;
}

/** The policy used when none is configured: the reviewed default prices and nobody authorised. */
export const DEFAULT_QUERY_POLICY: QueryPolicy = {
  pricing: DEFAULT_TOKEN_PRICES,
  privateQueries: { users: [] },
};

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
 * Wraps a logs backend so every path that runs vetted queries (the `/kql` command, incident
 * evidence, questions) obeys the policy: private queries only for authorised users in a direct
 * message, and configured parameters (the price table) only from the policy, never from chat.
 * Configured values are left out of the run's parameters (the card shows them in the KQL text).
 */
export function withQueryPolicy(backend: LogsBackend, policy: QueryPolicy): LogsBackend {
  // Wrapping twice would refuse the configured values the first wrapper supplied.
  if (guarded.has(backend)) return backend;
  const configured = configuredValues(policy);
  const wrapped: LogsBackend = {
    kind: backend.kind,
    catalog: backend.catalog,
    async run(id, raw, options) {
      const query = backend.catalog.get(id);
      if (!query) return backend.run(id, raw, options); // the backend names the unknown query
      checkPrivateAccess(query, options?.caller, policy);
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
