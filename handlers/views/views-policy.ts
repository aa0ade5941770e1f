import { z } from 'zod';
import { durationMs } from '../../core/duration.ts';
import { azureRegion } from '../../queries/azure-quota/compute-usages.ts';

const HOUR = 3_600_000;

/**
 * The dashboards in chat (`/status`, `/eng`, `/capacity`, `/cost`): the SLA they report against,
 * the latency SLO line, and where the scheduled executive digest goes.
 */
export const viewsPolicy = z
  .object({
    /** Availability target per deployment, percent of requests that succeed (429s and 5xx fail). */
    slaTarget: z.number().min(50).max(100).default(99.9),
    /** The latency SLO drawn on the engineering view's percentile chart, milliseconds. */
    latencySloMs: z.number().int().min(10).max(600_000).default(2000),
    digest: z
      .object({
        /**
         * Channel id of the scheduled executive digest on every chat platform (`C…` on Slack, a
         * Teams conversation id, the console channel's name). Unset: no digest is posted.
         */
        channel: z.string().min(1).max(256).optional(),
        /** How often the executive digest is posted. */
        every: durationMs({ min: 15 * 60_000, max: 24 * HOUR }).default(HOUR),
        /** How often the capacity view is posted to the same channel (the guide's daily refresh). */
        capacityEvery: durationMs({ min: HOUR, max: 7 * 24 * HOUR }).default(24 * HOUR),
      })
      .strict()
      .prefault({}),
    capacity: z
      .object({
        /**
         * Azure regions whose Compute quota (`usages`) the capacity view shows, in the subscription
         * of AZURE_SUBSCRIPTION_ID. Local mode shows the simulated regions when none are named.
         */
        regions: z.array(azureRegion).max(20).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});
export type ViewsPolicy = z.infer<typeof viewsPolicy>;
