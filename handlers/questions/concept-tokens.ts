import { boundedEditDistance, tokenizeWords, typoBound } from './normalize.ts';
import { conceptOf, foldPhrases, isStopword, VOCABULARY } from './synonyms.ts';

/** The nearest vocabulary word within the typo allowance, if exactly one is nearest. */
function correctTypo(word: string): string | undefined {
  const bound = typoBound(word.length);
  if (bound === 0) return undefined;
  let best: string | undefined;
  let bestDistance = bound + 1;
  let tie = false;
  for (const candidate of VOCABULARY) {
    if (candidate.length < 4) continue;
    const allowed = bound;
    const d = boundedEditDistance(word, candidate, allowed);
    if (d > allowed) continue;
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && best !== undefined && conceptOf(candidate) !== conceptOf(best))
      tie = true;
  }
  return tie || bestDistance > bound ? undefined : best;
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Turns text into ranking terms: vocabulary words become their concept (`429s` → `throttle`),
 * near-misses of vocabulary words are corrected, stopwords and bare numbers dropped, the rest
 * stemmed.
 */
export function toConceptTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of tokenizeWords(foldPhrases(text.toLowerCase()))) {
    const direct = conceptOf(word);
    if (direct) {
      terms.push(direct);
      continue;
    }
    if (isStopword(word) || /^[\d.%-]+$/.test(word)) continue;
    const corrected = /^[a-z]+$/.test(word) ? correctTypo(word) : undefined;
    const concept = corrected ? conceptOf(corrected) : conceptOf(stem(word));
    terms.push(concept ?? stem(word));
  }
  return terms;
}
