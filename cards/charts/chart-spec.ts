import { z } from 'zod';
import { timeZoneSchema } from '../../core/time-zone.ts';

/** How a threshold line is drawn; mirrors the card tones for warning and critical. */
export const thresholdTone = z.enum(['warning', 'critical', 'info']);
export type ThresholdTone = z.infer<typeof thresholdTone>;

export const threshold = z.object({
  value: z.number().finite(),
  label: z.string().min(1).max(40),
  tone: thresholdTone,
});

/** `[epoch ms, value]`; `null` leaves a gap (no sample) instead of drawing a false line. */
export const point = z.tuple([z.number().finite(), z.number().finite().nullable()]);

export const timeSeries = z.object({
  name: z.string().min(1).max(60),
  points: z.array(point).max(10_000),
  /** CSS colour; the palette picks one when left out. */
  color: z.string().optional(),
  /** Dashed lines for secondary series (e.g. a mean next to a max). */
  dashed: z.boolean().default(false),
});
export type TimeSeries = z.infer<typeof timeSeries>;

/** One plot area with its own y axis. Several panels stack over one shared time axis. */
export const chartPanel = z.object({
  title: z.string().max(80).optional(),
  unit: z.string().max(12),
  /** Fixed y bounds (e.g. 0–100 for %); the data decides when left out. */
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  series: z.array(timeSeries).min(1).max(8),
  thresholds: z.array(threshold).max(4).default([]),
});
export type ChartPanel = z.infer<typeof chartPanel>;

/** A time-series chart as chat shows it: readable at 720–900 px wide. */
export const chartSpec = z.object({
  title: z.string().min(1).max(120),
  subtitle: z.string().max(160).optional(),
  /** The viewer's zone: axis labels and the footer use it. */
  timeZone: timeZoneSchema.default('UTC'),
  width: z.number().int().min(480).max(1200).default(820),
  /** Total height; computed from the panel count when left out. */
  height: z.number().int().min(200).max(1600).optional(),
  panels: z.array(chartPanel).min(1).max(4),
  /** Vertical lines at instants across every panel, e.g. when an alert fired. */
  markers: z
    .array(z.object({ at: z.number().finite(), label: z.string().min(1).max(40) }))
    .max(3)
    .default([]),
});
export type ChartSpec = z.infer<typeof chartSpec>;
export type ChartSpecInput = z.input<typeof chartSpec>;
