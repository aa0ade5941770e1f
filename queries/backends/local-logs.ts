import type { KqlCatalog } from '../catalog.ts';
import type { KqlEngine } from '../engine/engine.ts';
import type { QueryResult } from '../engine/types.ts';
import type { LogsBackend } from './logs-backend.ts';
import { cancelledRun, prepareRun } from './logs-backend.ts';

export type LocalLogsOptions = { catalog: KqlCatalog } & (
  | {
      /** An engine on this thread: fine for tests and small tables, it blocks while it runs. */
      engine: KqlEngine;
      /** Brings the engine's tables up to date before a query (the simulator's live rows). */
      beforeQuery?: (text: string) => void;
    }
  | {
      /**
       * Runs bound query text elsewhere, e.g. in a worker thread that owns the tables; calls
       * `onStarted` when the text reaches an engine (after any wait for a free one).
       */
      runQuery(
        text: string,
        onStarted: () => void,
        signal?: AbortSignal,
        background?: boolean,
      ): Promise<QueryResult>;
    }
);

/**
 * The local backend: the same bound KQL text as production, run by the local engine. The engine is
 * synchronous, so `timeoutMs` cannot interrupt it; callers bound the wait instead.
 */
export function createLocalLogsBackend(options: LocalLogsOptions): LogsBackend {
  const execute =
    'runQuery' in options
      ? (text: string, onStarted: () => void, signal?: AbortSignal, background?: boolean) =>
          options.runQuery(text, onStarted, signal, background)
      : async (text: string, onStarted: () => void, signal?: AbortSignal) => {
          if (signal?.aborted) throw cancelledRun();
          options.beforeQuery?.(text);
          onStarted();
          return options.engine.run(text);
        };
  return {
    kind: 'local',
    catalog: options.catalog,
    async run(id, raw, runOptions) {
      const { query, params, text } = prepareRun(options.catalog, id, raw);
      const result = await execute(
        text,
        () => runOptions?.onStarted?.(),
        runOptions?.signal,
        runOptions?.background,
      );
      return { query, params, text, result: { ...result, partial: false } };
    },
  };
}
