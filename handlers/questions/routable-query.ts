import type { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { KqlCatalog } from '../../queries/catalog.ts';
import type { VettedGpuQuery } from '../../queries/gpu/define-gpu-query.ts';

/**
 * What the question router needs to know of a vetted query: words to rank on and the zod schema
 * that validates the parameters it fills. Both the KQL and the GPU catalog adapt to this.
 */
export interface RoutableQuery {
  id: string;
  title: string;
  description: string;
  examples: readonly string[];
  params: z.ZodObject;
  source: 'kql' | 'gpu';
}

/** Adapts one vetted GPU query; its parameter schema is always a zod object. */
export function toRoutableGpuQuery(query: VettedGpuQuery): RoutableQuery {
  const params = query.params as unknown as z.ZodObject;
  if (!params || typeof params !== 'object' || !('shape' in params))
    throw new AppError('QUERY_PARAMS_NOT_OBJECT', `GPU query ${query.id} has no object parameter schema`);
  return {
    id: query.id,
    title: query.title,
    description: query.description,
    examples: query.examples,
    params,
    source: 'gpu',
  };
}

/** Adapts the whole GPU catalog. */
export function toRoutableGpuQueries(queries: readonly VettedGpuQuery[]): RoutableQuery[] {
  return queries.map(toRoutableGpuQuery);
}

/**
 * Adapts the KQL catalog. Private queries (their output identifies people) are never routable
 * from a question: they are answered only on request, in a direct message to an authorised user.
 * Queries marked `routable: false` (the views' building blocks) are left out too.
 */
export function toRoutableKqlQueries(catalog: KqlCatalog): RoutableQuery[] {
  return [...catalog.values()]
    .filter((q) => !q.private && q.routable)
    .map((q) => ({
      id: q.id,
      title: q.title,
      description: q.description,
      examples: q.examples,
      params: q.params,
      source: 'kql',
    }));
}
