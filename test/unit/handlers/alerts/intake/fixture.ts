import { readFileSync } from 'node:fs';

const DIR = new URL('../../../../fixtures/alerts/', import.meta.url);

/** A fresh copy of a payload sample from test/fixtures/alerts, safe to modify. */
export function loadFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, DIR), 'utf8'));
}

type Key = string | number;

/** Sets (or, with `undefined`, deletes) the value at `path` inside a parsed JSON document. */
export function setAt(doc: unknown, path: readonly Key[], value: unknown): unknown {
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<Key, unknown>)[key], doc);
  const last = path.at(-1)!;
  if (value === undefined) delete (parent as Record<Key, unknown>)[last];
  else (parent as Record<Key, unknown>)[last] = value;
  return doc;
}

/** The value at `path` inside a parsed JSON document. */
export function getAt(doc: unknown, path: readonly Key[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<Key, unknown>)[key], doc);
}
