import type { Inventory } from './inventory.ts';
import { boundedEditDistance, compactName, typoBound } from './normalize.ts';
import { blankSpan, consumeFirst, type TextScan } from './text-scan.ts';

/** Names from the inventory (or a literal node name) that the question mentions. */
export interface EntitySlots {
  node?: string;
  deployment?: string;
  appRole?: string;
  team?: string;
  /** An operation of the telemetry (`POST /chat`), named by its route or as "the chat endpoint". */
  operation?: string;
  /** A model version of the telemetry (`2024-11-20`), named after the word "version". */
  modelVersion?: string;
}

type Kind = 'node' | 'deployment' | 'appRole' | 'team';

interface Alias {
  kind: Kind;
  name: string;
  alias: string;
}

/** Aliases of inventory names: `gpt-4o-mini` is also `gpt4omini` and `4omini`. */
function aliasesOf(inventory: Inventory): Alias[] {
  const out: Alias[] = [];
  const add = (kind: Kind, names: readonly string[]) => {
    for (const name of names) {
      const compact = compactName(name);
      out.push({ kind, name, alias: compact });
      const bare = compact.replace(/^gpt/, '');
      if (kind === 'deployment' && bare !== compact && /[a-z]/.test(bare))
        out.push({ kind, name, alias: bare });
    }
  };
  add('node', inventory.nodes);
  add('deployment', inventory.deployments);
  add('appRole', inventory.appRoles);
  add('team', inventory.teams);
  const kindOf = new Map(out.map((a) => [a.name, a.kind]));
  for (const [alias, name] of Object.entries(inventory.aliases)) {
    const kind = kindOf.get(name);
    if (kind) out.push({ kind, name, alias: compactName(alias) });
  }
  return out;
}

const aliasCache = new WeakMap<Inventory, Alias[]>();

function cachedAliases(inventory: Inventory): Alias[] {
  let a = aliasCache.get(inventory);
  if (!a) {
    a = aliasesOf(inventory);
    aliasCache.set(inventory, a);
  }
  return a;
}

interface Hit {
  alias: Alias;
  start: number;
  end: number;
  distance: number;
  length: number;
}

/** Best alias for a compact phrase: exact, or within the typo bound when the phrase is long enough. */
function matchAlias(
  phrase: string,
  aliases: readonly Alias[],
): { alias: Alias; distance: number } | undefined {
  let best: { alias: Alias; distance: number } | undefined;
  for (const alias of aliases) {
    const bound = Math.min(typoBound(alias.alias.length), typoBound(phrase.length));
    const d = phrase === alias.alias ? 0 : boundedEditDistance(phrase, alias.alias, bound);
    if (d > bound) continue;
    if (!best || d < best.distance || (d === best.distance && alias.alias.length > best.alias.alias.length))
      best = { alias, distance: d };
  }
  return best;
}

/** The name in `names` this word is, exactly or within the typo allowance, if exactly one is nearest. */
function nearestName(
  word: string,
  names: readonly string[],
  key: (name: string) => string,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const name of names) {
    const k = key(name);
    const bound = Math.min(typoBound(k.length), typoBound(word.length));
    const d = k === word ? 0 : boundedEditDistance(word, k, bound);
    if (d > bound) continue;
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  return tie ? undefined : best;
}

const routeOf = (operation: string) => operation.replace(/^[A-Z]+\s+/i, '').toLowerCase();
const lastSegment = (operation: string) =>
  compactName(routeOf(operation).split('/').filter(Boolean).at(-1) ?? '');

/**
 * "POST /answer", "/answer" or "the answer endpoint": an operation of the inventory. Read before
 * other names, so "/chat" is not the chat-api role.
 */
export function extractOperation(scan: TextScan, inventory: Inventory): string | undefined {
  const ops = inventory.operations;
  if (ops.length === 0) return undefined;
  const byRoute = consumeFirst(
    scan,
    /(?:\b(get|post|put|patch|delete)\s+)?(?<![\w/])(\/[a-z0-9][a-z0-9/_.{}-]*)/g,
    (m) => {
      const path = m[2]!.replace(/[/.]+$/, '');
      const fits = ops.filter((o) => routeOf(o) === path);
      const method = m[1]?.toUpperCase();
      return fits.find((o) => method !== undefined && o.toUpperCase().startsWith(`${method} `)) ?? fits[0];
    },
  );
  if (byRoute) return byRoute;
  return consumeFirst(
    scan,
    /\b([a-z][a-z0-9-]*)\s+(?:endpoint|operation|route|api\s+calls?|calls?)s?\b/g,
    (m) => nearestName(compactName(m[1]!), ops, lastSegment),
  );
}

/**
 * "model version 2024-11-20", "version 0613": a model version of the inventory. Read before
 * times, so the version is not a date.
 */
export function extractModelVersion(scan: TextScan, inventory: Inventory): string | undefined {
  const versions = inventory.modelVersions;
  if (versions.length === 0) return undefined;
  return consumeFirst(
    scan,
    /\b(?:(?:model\s+)?version\s+|v)([0-9][a-z0-9.-]*[a-z0-9])\b|\b([0-9][a-z0-9.-]*[a-z0-9])\s+(?:model\s+)?version\b/g,
    (m) => nearestName(compactName(m[1] ?? m[2]!), versions, compactName),
  );
}

/**
 * Resolves mentions to inventory names, trying phrases of up to three words so "4o mini" and
 * "gpt 4o" are one name, preferring exact and longer matches. "node 7" becomes `node-7` even
 * when the inventory is not loaded: the GPU handler explains unknown nodes with suggestions.
 */
export function extractEntities(scan: TextScan, inventory: Inventory): EntitySlots {
  const slots: EntitySlots = {};
  const node = consumeFirst(
    scan,
    /\bnode(?:\s*[-_#]\s*|\s+)?(\d{1,3})\b/g,
    (m) => `node-${Number(m[1])}`,
    'node',
  );
  if (node) slots.node = node;
  const aliases = cachedAliases(inventory);
  const words = [...scan.text.matchAll(/[a-z0-9][a-z0-9.-]*/g)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
  const hits: Hit[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= 3 && i + n <= words.length; n++) {
      const phrase = compactName(
        words
          .slice(i, i + n)
          .map((w) => w.text)
          .join(''),
      );
      if (phrase.length < 2) continue;
      const m = matchAlias(phrase, aliases);
      if (m)
        hits.push({
          alias: m.alias,
          start: words[i]!.start,
          end: words[i + n - 1]!.end,
          distance: m.distance,
          length: phrase.length,
        });
    }
  }
  hits.sort((a, b) => a.distance - b.distance || b.length - a.length || a.start - b.start);
  const taken: Array<[number, number]> = [];
  for (const hit of hits) {
    if (slots[hit.alias.kind] !== undefined) continue;
    if (taken.some(([s, e]) => hit.start < e && s < hit.end)) continue;
    slots[hit.alias.kind] = hit.alias.name;
    taken.push([hit.start, hit.end]);
    blankSpan(scan, hit.start, hit.end, hit.alias.kind === 'node' ? 'node' : '');
  }
  return slots;
}
