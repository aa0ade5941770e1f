import {
  type EntitySlots,
  extractEntities,
  extractModelVersion,
  extractOperation,
} from './extract-entities.ts';
import {
  extractBucket,
  extractGpuIndex,
  extractLimit,
  extractPercentile,
  extractRatio,
  extractThreshold,
  type ThresholdSlot,
} from './extract-measures.ts';
import { type Clock, extractTime, type TimeSlot } from './extract-time.ts';
import type { Inventory } from './inventory.ts';
import { correctTimeWords } from './time-words.ts';

/** Everything the question pins down besides which query it wants. */
export interface Slots extends EntitySlots {
  time?: TimeSlot;
  bucket?: string;
  threshold?: ThresholdSlot;
  percentile?: number;
  limit?: number;
  gpu?: number;
  /** A multiple of a baseline ("3x usual"). */
  ratio?: number;
}

/** The slots, and the text left for ranking once they are taken out. */
export interface Extraction {
  slots: Slots;
  rest: string;
}

/**
 * Extracts slots in an order that avoids double readings: model versions (not dates) and
 * operations (not roles) first, then times (so "last 2 hours" is
 * not a threshold), then buckets, ratios (before thresholds: "more than 3x"), numbers, GPU index and inventory names.
 */
export function extractSlots(question: string, clock: Clock, inventory: Inventory): Extraction {
  const scan = { text: ` ${correctTimeWords(question.toLowerCase().replace(/\s+/g, ' '))} ` };
  const slots: Slots = {};
  const modelVersion = extractModelVersion(scan, inventory);
  if (modelVersion) slots.modelVersion = modelVersion;
  const operation = extractOperation(scan, inventory);
  if (operation) slots.operation = operation;
  const time = extractTime(scan, clock);
  if (time) slots.time = time;
  const bucket = extractBucket(scan);
  if (bucket) slots.bucket = bucket;
  const ratio = extractRatio(scan);
  if (ratio !== undefined) slots.ratio = ratio;
  const threshold = extractThreshold(scan);
  if (threshold) slots.threshold = threshold;
  const percentile = extractPercentile(scan);
  if (percentile !== undefined) slots.percentile = percentile;
  const limit = extractLimit(scan);
  if (limit !== undefined) slots.limit = limit;
  const gpu = extractGpuIndex(scan);
  if (gpu !== undefined) slots.gpu = gpu;
  Object.assign(slots, extractEntities(scan, inventory));
  return { slots, rest: scan.text };
}
