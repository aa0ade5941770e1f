/** Edit distance (insert, delete, substitute, each 1); node names are short, so O(n·m) is fine. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Known nodes closest to what the user typed, for "did you mean …": those at the smallest edit
 * distance (within a third of the name, 1 to 3 edits), longest shared prefix first, so `node-70`
 * suggests `node-7` before `node-0`. A fragment of a long name (`vmss000007`) also matches.
 */
export function suggestNodes(typed: string, known: readonly string[], limit = 3): string[] {
  const t = typed.trim().toLowerCase();
  const scored = known.map((name) => {
    const n = name.toLowerCase();
    const d = t.length >= 3 && n.includes(t) ? 0 : editDistance(t, n);
    return {
      name,
      d,
      prefix: commonPrefix(t, n),
      close: d <= Math.min(3, Math.max(1, Math.floor(n.length / 3))),
    };
  });
  const close = scored.filter((x) => x.close);
  const best = Math.min(...close.map((x) => x.d));
  return close
    .filter((x) => x.d === best)
    .sort((a, b) => b.prefix - a.prefix || a.name.localeCompare(b.name, 'en', { numeric: true }))
    .slice(0, limit)
    .map((x) => x.name);
}
