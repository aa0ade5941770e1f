import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { readXids } from '../../core/gpu/read-xids.ts';
import { describeXid } from '../../core/gpu/xid-catalog.ts';
import {
  type MetricsBackend,
  type RangeSeries,
  runGpuRange,
} from '../../queries/backends/metrics-backend.ts';
import { gpuErrorHistory } from '../../queries/gpu/catalog.ts';
import { xidSightingsFromSeries } from '../../queries/gpu/xid-history.ts';

/**
 * What a replacement request carries about one GPU: which board it is (UUID, serial, model), every
 * XID it reported in the window (first seen, count), and its ECC and row-remap counters: what a
 * hardware vendor asks for before an RMA.
 */
export const gpuEvidence = z.object({
  node: z.string(),
  gpu: z.number().int(),
  uuid: z.string().nullable(),
  serial: z.string().nullable(),
  model: z.string().nullable(),
  /** How far back the history reaches, e.g. `24h`. */
  window: z.string(),
  xids: z.array(
    z.object({ xid: z.number().int(), name: z.string(), firstSeen: z.string(), count: z.number().int() }),
  ),
  /** What the XIDs mean read together, as the card says it. */
  reading: z.string(),
  /** Largest value in the window; null where the exporter does not export the field. */
  eccDoubleBitVolatile: z.number().nullable(),
  rowRemapUncorrectable: z.number().nullable(),
  rowRemapPending: z.number().nullable(),
  rowRemapFailed: z.number().nullable(),
});
export type GpuEvidence = z.infer<typeof gpuEvidence>;

/** Reads one GPU's evidence; never writes. */
export type GpuEvidenceReader = (node: string, gpu: number) => Promise<GpuEvidence>;

const WINDOW = '24h';

function maxOf(series: readonly RangeSeries[] | undefined): number | null {
  const values = (series ?? []).flatMap((s) => s.points.map(([, v]) => v));
  return values.length ? Math.max(...values) : null;
}

function label(series: Record<string, RangeSeries[]>, ...names: string[]): string | null {
  for (const part of Object.values(series))
    for (const s of part) for (const n of names) if (s.labels[n]) return s.labels[n]!;
  return null;
}

/** The evidence from the metrics backend (Prometheus), with the vetted `gpu-error-history` query. */
export function gpuEvidenceFromMetrics(backend: MetricsBackend, clock: Clock): GpuEvidenceReader {
  return async (node, gpu) => {
    const history = await runGpuRange(
      backend,
      gpuErrorHistory,
      { node, gpu, range: WINDOW },
      { at: clock.now() },
    );
    const sightings = [...xidSightingsFromSeries(history.xid ?? [], history.xidCount ?? []).values()].flat();
    const reading = readXids(sightings);
    return gpuEvidence.parse({
      node,
      gpu,
      uuid: label(history, 'UUID', 'uuid'),
      serial: label(history, 'DCGM_FI_DEV_SERIAL', 'serial'),
      model: label(history, 'modelName'),
      window: WINDOW,
      xids: reading.sequence.map((s) => ({
        xid: s.xid,
        name: describeXid(s.xid),
        firstSeen: new Date(s.at).toISOString(),
        count: s.count,
      })),
      reading: reading.summary,
      eccDoubleBitVolatile: maxOf(history.eccDbe),
      rowRemapUncorrectable: maxOf(history.remapUncorrectable),
      rowRemapPending: maxOf(history.remapPending),
      rowRemapFailed: maxOf(history.remapFailure),
    });
  };
}
