/** Lower-cases and splits text into word tokens; hyphens and dots inside words are kept. */
export function tokenizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^a-z0-9.%-]+/)
    .map((t) => t.replace(/^[.-]+|[.-]+$/g, ''))
    .filter((t) => t.length > 0);
}

/** Letters and digits only: `gpt-4o` and `GPT 4o` both become `gpt4o`. */
export function compactName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Edit distance where swapping two neighbouring letters is one edit, as people type ("gtp" for
 * "gpt", "thorttle"): the optimal string alignment distance, giving up (returning `bound + 1`)
 * once every alignment exceeds `bound`.
 */
export function boundedEditDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, before[j - 2]! + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    // A swap reaches back two rows, so give up only when both rows are over the bound.
    if (rowMin > bound && Math.min(...prev) > bound) return bound + 1;
    before = prev;
    prev = cur;
  }
  return Math.min(prev[b.length]!, bound + 1);
}

/** The typo allowance for a word of this length: none for short words, where typos collide. */
export function typoBound(length: number): number {
  if (length < 5) return 0;
  return length < 9 ? 1 : 2;
}
