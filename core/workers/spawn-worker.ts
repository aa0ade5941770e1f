import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread can load TypeScript only if the TypeScript loader is registered inside it; the
 * loader of the parent (tsx, or vitest's transform) does not carry over. So a `.ts` entry is
 * started through a small bootstrap that registers tsx's ESM hooks first, while a compiled `.js`
 * entry (`npm run build`, `start:prod`) starts as it is. The bootstrap also lowers the thread's
 * priority, when asked, before the entry loads: an entry may do its heaviest work as it loads.
 */
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
const boot = workerData.__boot;
(boot.tsx ? import(boot.tsx).then((tsx) => tsx.register()) : Promise.resolve())
  .then(() => boot.niceness && import(boot.priority).then((p) => p.setThreadNiceness(boot.niceness)))
  .then(() => import(boot.entry));`;

function tsxApiUrl(): string {
  // The ESM build of tsx's API, found through its package.json so no export condition decides it.
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
}

/** The URL of a worker entry next to `base`: `name.ts` from sources, `name.js` once compiled. */
export function workerEntry(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

export interface SpawnWorkerOptions {
  /** Thread name, shown in diagnostics. */
  name: string;
  /** Niceness of the thread (see thread-priority.ts); 0 or absent leaves it at normal priority. */
  niceness?: number;
}

/** Starts a worker thread on `entry` (a `.ts` or `.js` module URL) with `workerData`. */
export function spawnWorker(
  entry: URL,
  workerData: Record<string, unknown>,
  options: SpawnWorkerOptions,
): Worker {
  const typescript = entry.pathname.endsWith('.ts');
  const niceness = options.niceness ?? 0;
  if (!typescript && niceness === 0) return new Worker(entry, { workerData, name: options.name });
  const boot = {
    tsx: typescript ? tsxApiUrl() : undefined,
    niceness,
    priority: workerEntry(import.meta.url, 'thread-priority').href,
    entry: entry.href,
  };
  return new Worker(BOOTSTRAP, {
    eval: true,
    name: options.name,
    workerData: { ...workerData, __boot: boot },
  });
}
