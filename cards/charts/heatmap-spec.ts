import { z } from 'zod';
import { timeZoneSchema } from '../../core/time-zone.ts';

/** One row of a heatmap (a GPU node): a value per column, `null` where there was no sample. */
export const heatmapRow = z.object({
  name: z.string().min(1).max(60),
  cells: z.array(z.number().finite().nullable()).max(240),
});

/**
 * A heatmap as chat shows it: rows (nodes) down, time across, each cell coloured by its value on
 * a fixed scale, so two renders of the same fleet compare at a glance.
 */
export const heatmapSpec = z
  .object({
    kind: z.literal('heatmap'),
    title: z.string().min(1).max(120),
    subtitle: z.string().max(160).optional(),
    timeZone: timeZoneSchema.default('UTC'),
    width: z.number().int().min(480).max(1200).default(820),
    /** Start instant of each column, oldest first. */
    times: z.array(z.number().finite()).min(1).max(240),
    rows: z.array(heatmapRow).min(1).max(48),
    unit: z.string().max(12),
    min: z.number().finite().default(0),
    max: z.number().finite().default(100),
  })
  .refine((s) => s.rows.every((r) => r.cells.length === s.times.length), {
    message: 'every row has one cell per column',
    path: ['rows'],
  })
  .refine((s) => s.max > s.min, { message: 'max must be above min', path: ['max'] });
export type HeatmapSpec = z.infer<typeof heatmapSpec>;
export type HeatmapSpecInput = z.input<typeof heatmapSpec>;
