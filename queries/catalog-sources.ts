import type { KqlCatalog } from './catalog.ts';
import type { LogSource } from './kql/log-sources.ts';

/** The queries of a catalog whose source the workspace has: what the question router may offer. */
export function catalogOfSources(catalog: KqlCatalog, sources: readonly LogSource[]): KqlCatalog {
  return new Map([...catalog].filter(([, q]) => sources.includes(q.source)));
}
