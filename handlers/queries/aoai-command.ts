import { catalogCard, queryResultCard } from '../../cards/templates/query-result.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { AzureMetricsBackend } from '../../queries/backends/azure-metrics-backend.ts';
import { type CommandHandler, defineCommand } from '../commands/command.ts';
import { kqlArgs } from './kql-command.ts';

const CATALOG_TITLE = { command: 'aoai', title: 'Vetted Azure Monitor metric queries' };

/**
 * `/aoai` lists the vetted Azure Monitor metric queries of the Azure OpenAI resources;
 * `/aoai <id> [param=value …]` runs one: requests by status code (the 429s the resource counted,
 * logged or not), PTU utilisation, spillover, token volume. Without a metrics source configured
 * it says what to set rather than answering with nothing.
 */
export function createAoaiCommand(backend: AzureMetricsBackend | undefined): CommandHandler {
  return defineCommand({
    id: 'aoai',
    usage: '/aoai [query] [param=value …]',
    description:
      'Lists or runs the vetted Azure Monitor metric queries of the Azure OpenAI resources (429s by status code, PTU utilisation, spillover, tokens).',
    args: kqlArgs,
    async handle({ args }) {
      if (!backend)
        throw new UserFacingError(
          'METRICS_NOT_CONFIGURED',
          'Azure Monitor metrics are not configured: set AZURE_METRICS_ENDPOINT (the regional endpoint, e.g. https://eastus2.metrics.monitor.azure.com) and AZURE_OPENAI_RESOURCE_IDS, and grant the bot’s identity Monitoring Reader on the resources.',
        );
      const id = args.positional[0];
      if (!id) {
        if (Object.keys(args.named).length > 0)
          throw new UserFacingError(
            'METRICS_NO_QUERY',
            'Name a query before its parameters, e.g. /aoai aoai-requests-by-status window=1h.',
          );
        return catalogCard(backend.catalog, CATALOG_TITLE);
      }
      const run = await backend.run(id.toLowerCase(), args.named);
      return queryResultCard(run, { backend: backend.kind, source: 'metrics' });
    },
  });
}
