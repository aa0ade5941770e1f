import { boundedEditDistance, typoBound } from './normalize.ts';
import { VOCABULARY } from './synonyms.ts';

/** Words the time readers look for, spelt right; a near miss of one is read as it. */
const TIME_WORDS = [
  'yesterday',
  'today',
  'tonight',
  'morning',
  'afternoon',
  'evening',
  'midnight',
  'overnight',
  'weekend',
  'between',
  'since',
  'hours',
  'minutes',
  'seconds',
  'months',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];
/** Right words that are near a time word: never "corrected". */
const NEAR_MISSES_THAT_ARE_WORDS =
  'yours month hour minute second night nights hourly daily weekly monthly weekends mornings evenings tomorrow earlier later minus seconds second sinces friday fridays mondays hours'.split(
    ' ',
  );
const KNOWN = new Set([...TIME_WORDS, ...NEAR_MISSES_THAT_ARE_WORDS, ...VOCABULARY]);

function nearestTimeWord(word: string): string | undefined {
  const bound = typoBound(word.length);
  let best: string | undefined;
  let bestDistance = bound + 1;
  let tie = false;
  for (const candidate of TIME_WORDS) {
    const d = boundedEditDistance(word, candidate, bound);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && d <= bound) tie = true;
  }
  return tie || bestDistance > bound ? undefined : best;
}

/**
 * Corrects near misses of time words in lower-cased text ("yesterady", "wendesday", "mornign"),
 * so a typo does not lose the range. Words of the ranking vocabulary are never changed.
 */
export function correctTimeWords(text: string): string {
  return text.replace(/\b[a-z]{5,}\b/g, (word) => (KNOWN.has(word) ? word : (nearestTimeWord(word) ?? word)));
}
