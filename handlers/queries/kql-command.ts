import { z } from 'zod';
import { catalogCard, queryResultCard } from '../../cards/templates/query-result.ts';
import { UserFacingError } from '../../core/errors.ts';
import { findQuery, type LogsBackend, type LogsRun } from '../../queries/backends/logs-backend.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';

/** `/kql [id] [param=value …]` from the tokenised command line. */
export const kqlArgs = z.object({
  positional: z.array(z.string().max(80)).max(1, 'name one query, e.g. /kql throttle-rate window=1h'),
  named: z.record(z.string(), z.string().max(200)),
});

/**
 * `/kql` lists the vetted catalog; `/kql <id> [param=value …]` runs one query and answers with its
 * table, the parameters used and the exact KQL that ran. Bad parameters are named with their
 * allowed form. The backend is expected to be wrapped by `withQueryPolicy`, which answers private
 * queries (user identities) only to authorised users in a direct message.
 */
export function createKqlCommand(
  backend: LogsBackend,
  /** Renders a result's chart and returns its link, when the query is shown as a chart. */
  chartFor?: (run: LogsRun) => Promise<{ url: string; alt: string } | undefined>,
): CommandHandler {
  return defineCommand({
    id: 'kql',
    usage: '/kql [query] [param=value …]',
    description:
      'Lists the vetted KQL queries, or runs one against Log Analytics (local engine in local mode).',
    args: kqlArgs,
    async handle({ args, user, place }) {
      const id = args.positional[0];
      if (!id) {
        if (Object.keys(args.named).length > 0)
          throw new UserFacingError(
            'KQL_NO_QUERY',
            'Name a query before its parameters, e.g. /kql throttle-rate window=1h.',
          );
        return catalogCard(backend.catalog);
      }
      const query = findQuery(backend.catalog, id.toLowerCase());
      const run = await backend.run(query.id, args.named, { caller: { user, place } });
      const chart = await chartFor?.(run);
      return queryResultCard(run, { backend: backend.kind, ...(chart ? { chart } : {}) });
    },
  });
}
