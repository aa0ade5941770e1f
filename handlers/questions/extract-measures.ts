import { z } from 'zod';
import { consumeFirst, type TextScan } from './text-scan.ts';
import { COUNT, readCount, toTimespan, UNIT } from './time-units.ts';

/** A comparison the user asked for: "over 2 seconds", "> 500 ms", "above 80%". */
export const thresholdSlot = z.object({
  direction: z.enum(['above', 'below']),
  value: z.number(),
  unit: z.enum(['ms', 'percent', 'celsius', 'none']),
});
export type ThresholdSlot = z.infer<typeof thresholdSlot>;

const ABOVE =
  'over|above|more\\s+than|greater\\s+than|higher\\s+than|longer\\s+than|slower\\s+than|exceeding|exceeds?|beyond|at\\s+least|>=|>';
const BELOW = 'under|below|less\\s+than|lower\\s+than|shorter\\s+than|faster\\s+than|at\\s+most|<=|<';
const AMOUNT =
  '(\\d+(?:\\.\\d+)?)\\s*(ms|milliseconds?|millis|seconds?|secs?|s|%|percent|pct|°\\s*c|degrees?(?:\\s+c(?:elsius)?)?|c)?(?![\\w.])';

const BELOW_ONLY = new RegExp(`^(?:${BELOW})$`);
const THRESHOLD = new RegExp(`(${ABOVE}|${BELOW})\\s*${AMOUNT}`, 'g');
const BUCKET_PER = new RegExp(
  `\\b(?:per|every|by|in)\\s+${COUNT}[\\s-]*${UNIT}(?:\\s*(?:buckets?|bins?|intervals?))?\\b`,
  'g',
);
const BUCKET_OF = new RegExp(`\\b${COUNT}[\\s-]*${UNIT}\\s*(?:buckets?|bins?|intervals?|resolution)\\b`, 'g');

function readThreshold(m: RegExpExecArray): ThresholdSlot | undefined {
  const direction = BELOW_ONLY.test(m[1]!.replace(/\s+/g, ' ').trim()) ? 'below' : 'above';
  const value = Number(m[2]);
  const unit = (m[3] ?? '').toLowerCase();
  if (unit === '') return { direction, value, unit: 'none' };
  if (/^(ms|milli)/.test(unit)) return { direction, value, unit: 'ms' };
  if (/^s/.test(unit)) return { direction, value: value * 1000, unit: 'ms' };
  if (/^(%|percent|pct)/.test(unit)) return { direction, value, unit: 'percent' };
  return { direction, value, unit: 'celsius' };
}

/**
 * The first threshold in the question. Only the number and unit are blanked: "slower than"
 * still tells the ranker that the question is about slow requests.
 */
export function extractThreshold(scan: TextScan): ThresholdSlot | undefined {
  let found: ThresholdSlot | undefined;
  for (const m of scan.text.matchAll(THRESHOLD)) {
    const t = readThreshold(m as RegExpExecArray);
    if (!t) continue;
    found = t;
    const numberAt = m.index + m[0].indexOf(m[2]!, m[1]!.length);
    scan.text =
      scan.text.slice(0, numberAt) +
      ' '.repeat(m.index + m[0].length - numberAt) +
      scan.text.slice(m.index + m[0].length);
    break;
  }
  return found;
}

const RATIO = /\b(\d+(?:\.\d+)?)\s*(?:x|×|times)(?![\w.])|\b(twice|double)\b/g;

/** "3x the baseline", "5 times more than usual", "twice": a ratio against a baseline. */
export function extractRatio(scan: TextScan): number | undefined {
  return consumeFirst(scan, RATIO, (m) => (m[1] === undefined ? 2 : Number(m[1])));
}

/** "p95", "p99.9", "95th percentile", "median". Kept in the text: it is also a ranking word. */
export function extractPercentile(scan: TextScan): number | undefined {
  const p =
    /\bp(\d{2}(?:\.\d+)?)\b/.exec(scan.text) ??
    /\b(\d{2}(?:\.\d+)?)(?:st|nd|rd|th)?\s*(?:percentile|pct)\b/.exec(scan.text);
  if (p) {
    const v = Number(p[1]);
    return v > 0 && v < 100 ? v : undefined;
  }
  return /\bmedian\b/.test(scan.text) ? 50 : undefined;
}

/** "top 10", "10 hottest": how many rows the user wants. */
export function extractLimit(scan: TextScan): number | undefined {
  return (
    consumeFirst(scan, /\btop\s*(\d{1,3})\b/g, (m) => Number(m[1]), 'top') ??
    consumeFirst(scan, /\b(\d{1,3})\s+(?=(?:hottest|idlest|busiest|worst|coolest)\b)/g, (m) => Number(m[1]))
  );
}

/** "per 5 minutes", "in 10m buckets", "hourly": the bucket of a time series. */
export function extractBucket(scan: TextScan): string | undefined {
  return (
    consumeFirst(scan, BUCKET_PER, (m) =>
      m[1] && /\d/.test(m[1]) ? toTimespan(readCount(m[1]), m[2]!)?.text : undefined,
    ) ??
    consumeFirst(scan, BUCKET_OF, (m) => toTimespan(readCount(m[1]), m[2]!)?.text) ??
    consumeFirst(scan, /\b(?:hourly|(?:per|by|each)\s+hour)\b/g, () => '1h') ??
    consumeFirst(scan, /\b(?:daily|(?:per|by|each)\s+day)\b/g, () => '1d')
  );
}

/** "gpu 3", "GPU #3", "gpu=3", "gpu3": one GPU index on a node; the word "gpu" stays. */
export function extractGpuIndex(scan: TextScan): number | undefined {
  return consumeFirst(
    scan,
    /\bgpu\s*(?:=|#|no\.?\s*|number\s+|index\s+|idx\s*)?(\d{1,2})\b/g,
    (m) => Number(m[1]),
    'gpu',
  );
}
