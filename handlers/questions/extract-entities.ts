import type { Inventory } from './inventory.ts';
import { boundedEditDistance, compactName, typoBound } from './normalize.ts';
import { blankSpan, consumeFirst, type TextScan } from './text-scan.ts';

/** Names from the inventory (or a literal node name) that the question mentions. */
export interface EntitySlots {
  node?: string;
  deployment?: string;
  appRole?: string;
  team?: string;
}

type Kind = keyof EntitySlots;

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
