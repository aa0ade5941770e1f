import { cancelledRun, type LogsBackend, type LogsRun } from './logs-backend.ts';

/** The same query and parameters, whatever order the parameters were written in. */
function keyOf(id: string, params: Readonly<Record<string, unknown>>, timeoutMs: number | undefined): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return JSON.stringify([id, sorted, timeoutMs ?? null]);
}

/**
 * Shares one run among identical queries asked while it is in flight. An alert storm opens many
 * incidents about the same deployment within seconds, and each asks for the same evidence
 * (throttle rate of gpt-4o over 30 minutes …): without this, every one waits in line for its own
 * run of the same query and evidence falls minutes behind. Nothing is kept after the run ends, so
 * no answer is older than the run that produced it. Runs for a named caller are never shared:
 * private queries check who asks. The shared {@link LogsRun} is read-only for its receivers.
 * A receiver that withdraws (its signal aborts) stops waiting at once; the shared run itself is
 * withdrawn only when every receiver has, so one resolved incident never cancels another's evidence.
 */
export function withCoalescedRuns(backend: LogsBackend): LogsBackend & { readonly inFlight: number } {
  /** A shared run, and who to tell when it starts (every receiver's run budget starts then). */
  interface Shared {
    run: Promise<LogsRun>;
    started: boolean;
    listeners: Array<() => void>;
    /** Receivers still waiting; one without a signal never leaves. */
    receivers: number;
    controller: AbortController;
  }
  /** One receiver's wait for a shared run: withdrawn alone, and the run with the last one. */
  function receive(key: string, shared: Shared, signal: AbortSignal | undefined): Promise<LogsRun> {
    shared.receivers++;
    if (!signal) return shared.run;
    const leave = () => {
      if (--shared.receivers > 0) return;
      shared.controller.abort();
      if (inFlight.get(key) === shared) inFlight.delete(key);
    };
    if (signal.aborted) {
      leave();
      return Promise.reject(cancelledRun());
    }
    return new Promise<LogsRun>((resolve, reject) => {
      const withdraw = () => {
        leave();
        reject(cancelledRun());
      };
      signal.addEventListener('abort', withdraw, { once: true });
      shared.run.then(
        (value) => {
          signal.removeEventListener('abort', withdraw);
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', withdraw);
          reject(err);
        },
      );
    });
  }
  const inFlight = new Map<string, Shared>();
  return {
    kind: backend.kind,
    catalog: backend.catalog,
    get inFlight() {
      return inFlight.size;
    },
    run(id, params, options) {
      // A background run must not hold up evidence that would join it: it runs on its own.
      if (options?.caller || options?.background) return backend.run(id, params, options);
      const key = keyOf(id, params, options?.timeoutMs);
      const onStarted = options?.onStarted;
      const running = inFlight.get(key);
      if (running) {
        if (onStarted) {
          if (running.started) onStarted();
          else running.listeners.push(onStarted);
        }
        return receive(key, running, options?.signal);
      }
      const shared: Shared = {
        run: Promise.resolve() as never,
        started: false,
        listeners: [],
        receivers: 0,
        controller: new AbortController(),
      };
      if (onStarted) shared.listeners.push(onStarted);
      shared.run = backend.run(id, params, {
        ...options,
        signal: shared.controller.signal,
        onStarted: () => {
          shared.started = true;
          for (const listener of shared.listeners.splice(0)) listener();
        },
      });
      inFlight.set(key, shared);
      const done = () => {
        if (inFlight.get(key) === shared) inFlight.delete(key);
      };
      shared.run.then(done, done);
      return receive(key, shared, options?.signal);
    },
  };
}
