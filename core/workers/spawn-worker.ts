import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread can load TypeScript only if the TypeScript loader is registered inside it; the
 * loader of the parent (tsx, or vitest's transform) does not carry over. So a `.ts` entry is
 * started through a small bootstrap that registers tsx's ESM hooks first, while a compiled `.js`
 * entry (`npm run build`, `start:prod`) starts as it is.
 */
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
import(workerData.__tsx).then((tsx) => { tsx.register(); return import(workerData.__entry); });`;

function tsxApiUrl(): string {
  // The ESM build of tsx's API, found through its package.json so no export condition decides it.
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
}

/** The URL of a worker entry next to `base`: `name.ts` from sources, `name.js` once compiled. */
export function workerEntry(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

/** Starts a worker thread on `entry` (a `.ts` or `.js` module URL) with `workerData`. */
export function spawnWorker(entry: URL, workerData: Record<string, unknown>, name: string): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData, name });
  return new Worker(BOOTSTRAP, {
    eval: true,
    name,
    workerData: { ...workerData, __tsx: tsxApiUrl(), __entry: entry.href },
  });
}
