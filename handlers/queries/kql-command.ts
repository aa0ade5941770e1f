import { z } from 'zod';
import { UserFacingError } from '../../bot/errors.ts';
import { catalogCard, queryResultCard } from '../../cards/templates/query-result.ts';
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
 * allowed form. Private queries (user identities) are refused: they are for direct messages to
 * authorised users, which this command cannot tell apart yet.
 */
export function createKqlCommand(
  backend: LogsBackend,
  /** Renders a result's chart and returns its link, when the query is shown as a chart. */
  chartFor?: (run: LogsRun) => { url: string; alt: string } | undefined,
): CommandHandler {
  return defineCommand({
    id: 'kql',
    usage: '/kql [query] [param=value …]',
    description:
      'Lists the vetted KQL queries, or runs one against Log Analytics (local engine in local mode).',
    args: kqlArgs,
    async handle({ args }) {
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
      if (query.private)
        throw new UserFacingError(
          'KQL_PRIVATE_QUERY',
          `${query.id} returns user identities, so it is answered only in a direct message to an authorised user, never in a channel.`,
        );
      const run = await backend.run(query.id, args.named);
      const chart = chartFor?.(run);
      return queryResultCard(run, { backend: backend.kind, ...(chart ? { chart } : {}) });
    },
  });
}
