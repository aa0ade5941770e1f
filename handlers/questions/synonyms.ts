/* Phrase folding, stopwords and concept lookup over the vocabulary of `concept-vocabulary.ts`. */
import { CONCEPTS } from './concept-vocabulary.ts';

/** Multi-word phrases folded into one vocabulary word before tokenising. */
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  // GPU clock throttling (thermal or power capping) is not HTTP 429 throttling: fold it first.
  [
    /\b(throttl\w*|slow\w*(\s+down)?|capp?(ed|ing)?)\s+(because\s+of|due\s+to|from|by|on)\s+(the\s+)?(heat|thermals?|temperatures?|power(\s+caps?)?)\b/g,
    'clockthrottle',
  ],
  [
    /\b(thermal(ly)?|power|clocks?|heat|temperature|sm|gpus?)[\s-]+(throttl\w*|capp?(ed|ing)?|slow\w*(\s+down)?)\b/g,
    'clockthrottle',
  ],
  [/\bpower[\s-]+(caps?|capp?(ed|ing)|limit(ed|ing)?)\b/g, 'clockthrottle'],
  [/\brate[\s-]*limit(ed|s|ing)?\b/g, 'ratelimit$1'],
  // "How slow is chat-api" asks how long requests take, not how many break the SLO.
  [/\bhow\s+slow\b/g, 'latency'],
  [/\bresponse[\s-]*times?\b/g, 'responsetime'],
  [/\bzero[\s-]*success(ful)?\b/g, 'zerosuccess'],
  [/\b(quota|limits?)\s+(was\s+|is\s+)?exceeded\b/g, '429'],
  [/\bexceed(ed|ing|s)?\s+(the\s+|our\s+)?(quota|limits?)\b/g, '429'],
  [/\b(time\s+to\s+)?first[\s-]+tokens?\b/g, 'firsttoken'],
  [/\bcache[\s-]+hits?\b/g, 'cachehit'],
  [/\btokens?\s+(per|a|an)\s+minute\b/g, 'tpm'],
  [/\bprompt[\s-]+injections?\b/g, 'promptinjection'],
  [/\bcontent[\s-]+filters?\b/g, 'contentfilter'],
  [/\bup[\s-]+to[\s-]+date\b/g, 'uptodate'],
  // Software versions are not model versions: "cuda version" is outside the catalog.
  [
    /\b(cuda|driver|kernel|firmware|os|python|node\.?js|kubernetes|k8s|nccl|library)\s+versions?\b/g,
    'softwareversion',
  ],
  [
    /\bversions?\s+of\s+(the\s+)?(cuda|driver|kernel|firmware|os|python|kubernetes|k8s|nccl)\b/g,
    'softwareversion',
  ],
  [/\bmodel[\s-]+versions?\b/g, 'modelversion'],
  [/\bno\s+successful\b/g, 'zerosuccess'],
  [/\bout[\s-]+of[\s-]+memory\b/g, 'outofmemory'],
  [/\brequests?\s+per\s+(minute|second)\b/g, 'requestsperminute'],
  [/\brequest\s+rate\b/g, 'requestrate'],
  [/\bapp[\s-]+roles?\b/g, 'approle'],
  [/\bapi[\s-]+management\b/g, 'apimanagement'],
  [/\b(platform|azure)[\s-]+metrics\b/g, 'azuremetrics'],
  [/\btokens?\s*(per\s+second|\/\s*s)\b/g, 'tps'],
  [/\btoo\s+many\s+requests\b/g, '429'],
  [/\bserver\s+errors?\b/g, '5xx'],
  [/\bover\s+time\b/g, 'overtime'],
  [/\bon[\s-]+call\b/g, 'oncall'],
  [/\bnv[\s-]+link\b/g, 'nvlink'],
  [/\b(ib\s+)?links?\s+(is\s+|are\s+|went\s+|goes\s+)?down\b/g, 'ib linkdown'],
];

const STOPWORDS = new Set(
  'a an the is are was were be been being am of on in at for to from by with and or me my our us we i you it its this that these those show who whom time bucket each one well their whose use set beside against step tell give what whats how hows why when where did does do have has had there theres used uses using can could should would will please get see check some just much many than then so up per about across vs versus'.split(
    ' ',
  ),
);

const WORD_TO_CONCEPT = new Map<string, string>();
for (const [concept, words] of Object.entries(CONCEPTS))
  for (const w of words) if (!WORD_TO_CONCEPT.has(w)) WORD_TO_CONCEPT.set(w, concept);

/** Every vocabulary word, for typo correction. */
export const VOCABULARY: readonly string[] = [...WORD_TO_CONCEPT.keys()];

/** Folds known multi-word phrases of lower-cased text into single vocabulary words. */
export function foldPhrases(text: string): string {
  let out = text;
  for (const [re, to] of PHRASES) out = out.replace(re, to);
  return out;
}

/** The concept of a vocabulary word, if it is one. */
export function conceptOf(word: string): string | undefined {
  return WORD_TO_CONCEPT.get(word);
}

/** True for words that carry no meaning for ranking. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Concepts too general to pick a query on their own ("gpu", "status", "requests"). */
export const GENERIC_CONCEPTS: ReadonlySet<string> = new Set([
  'gpu',
  'node',
  'requests',
  'fleet',
  'role',
  'deployment',
  'most',
  'rate',
  'history',
  'state',
  'team',
]);

/** A concept the catalog cannot answer; its presence means "ask, don't guess". */
export const OUT_OF_SCOPE = 'outofscope';
