import { z } from 'zod';
import type { KqlCatalog } from '../../queries/catalog.ts';
import type { VettedGpuQuery } from '../../queries/gpu/define-gpu-query.ts';
import type { RoutableQuery } from '../questions/routable-query.ts';
import type { AgentResource } from './agent-tool.ts';
import { agentParams } from './query-tools.ts';

/** Where the catalog's resources live: `oncall://queries` and `oncall://queries/<id>`. */
export const CATALOG_URI = 'oncall://queries';

/**
 * The vetted catalog as resources, so an agent can explain what it ran: one index, and per query
 * its description, examples, parameters (the JSON Schema of its tool's arguments) and, for KQL,
 * the reviewed query text before binding. Private queries are not listed, like their tools.
 */
export function catalogResources(
  queries: readonly RoutableQuery[],
  kql: KqlCatalog | undefined,
  gpu: readonly VettedGpuQuery[],
): AgentResource[] {
  const entry = (q: RoutableQuery): Record<string, unknown> => {
    const text = q.source === 'kql' ? kql?.get(q.id)?.text : undefined;
    const kind = q.source === 'gpu' ? gpu.find((g) => g.id === q.id)?.kind : undefined;
    return {
      id: q.id,
      tool: q.id,
      source: q.source,
      title: q.title,
      description: q.description,
      examples: q.examples,
      parameters: z.toJSONSchema(agentParams(q), { io: 'input', unrepresentable: 'any' }),
      ...(text !== undefined ? { kql: text } : {}),
      ...(kind !== undefined ? { kind } : {}),
    };
  };
  const index: AgentResource = {
    uri: CATALOG_URI,
    name: 'vetted-queries',
    title: 'Vetted query catalog',
    description:
      'Every vetted query an agent may run as a tool: id, source (kql or gpu), title and description.',
    mimeType: 'application/json',
    read: () => ({
      queries: queries.map((q) => ({
        id: q.id,
        source: q.source,
        title: q.title,
        uri: `${CATALOG_URI}/${q.id}`,
      })),
    }),
  };
  return [
    index,
    ...queries.map(
      (q): AgentResource => ({
        uri: `${CATALOG_URI}/${q.id}`,
        name: q.id,
        title: q.title,
        description: `${q.description} (its parameters${q.source === 'kql' ? ' and KQL text' : ''})`,
        mimeType: 'application/json',
        read: () => entry(q),
      }),
    ),
  ];
}
