/**
 * Question text being consumed by extractors: what one extractor recognises is blanked out so
 * later extractors and the ranker do not read it again (a time "last 2 hours" is not a threshold).
 */
export interface TextScan {
  text: string;
}

/** Replaces `[start, end)` with spaces (or `replacement`, padded to keep positions stable). */
export function blankSpan(scan: TextScan, start: number, end: number, replacement = ''): void {
  const filler = replacement.padEnd(end - start, ' ').slice(0, end - start);
  scan.text = scan.text.slice(0, start) + filler + scan.text.slice(end);
}

/**
 * Finds matches of `pattern` (global) in order; the first one `read` accepts is blanked and its
 * value returned. `read` returning `undefined` rejects the match and the search goes on.
 */
export function consumeFirst<T>(
  scan: TextScan,
  pattern: RegExp,
  read: (match: RegExpExecArray) => T | undefined,
  replacement = '',
): T | undefined {
  pattern.lastIndex = 0;
  for (const m of scan.text.matchAll(pattern)) {
    const value = read(m as RegExpExecArray);
    if (value === undefined) continue;
    blankSpan(scan, m.index, m.index + m[0].length, replacement);
    return value;
  }
  return undefined;
}
