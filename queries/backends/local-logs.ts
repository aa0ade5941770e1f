import type { KqlCatalog } from '../catalog.ts';
import type { KqlEngine } from '../engine/engine.ts';
import type { LogsBackend } from './logs-backend.ts';
import { prepareRun } from './logs-backend.ts';

export interface LocalLogsOptions {
  engine: KqlEngine;
  catalog: KqlCatalog;
  /** Brings the engine's tables up to date before a query (the simulator's live rows). */
  beforeQuery?: () => void;
}

/**
 * The local backend: the same bound KQL text as production, run by the local engine. The engine is
 * synchronous, so `timeoutMs` cannot interrupt it; callers bound the wait instead.
 */
export function createLocalLogsBackend(options: LocalLogsOptions): LogsBackend {
  return {
    kind: 'local',
    catalog: options.catalog,
    async run(id, raw) {
      const { query, params, text } = prepareRun(options.catalog, id, raw);
      options.beforeQuery?.();
      const result = options.engine.run(text);
      return { query, params, text, result: { ...result, partial: false } };
    },
  };
}
