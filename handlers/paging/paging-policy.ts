import { z } from 'zod';
import { durationMs } from '../../core/duration.ts';
import { surfaceId } from '../../core/outbox/outbox-entry.ts';
import { timeZoneSchema } from '../../core/time-zone.ts';

const MINUTE = 60_000;

export const weekday = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
export type Weekday = z.infer<typeof weekday>;

/** Who is on call, as each chat platform names them (a Slack mention such as <@U0123>, a Teams name …). */
const rotation = z.object({ primary: z.string().min(1), secondary: z.string().min(1) }).strict();

/** The `paging` section of the policy file. Every field has a default. */
export const pagingPolicy = z
  .object({
    /** Part of every PagerDuty dedup_key, so two installs sharing a routing key never collide. */
    installId: z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'letters, digits, dot, dash or underscore (at most 64)')
      .default('oncall-bot'),
    /** A P1 not acknowledged this long after its page is escalated to the secondary on-call. */
    escalateAfter: durationMs({ min: MINUTE, max: 24 * 60 * MINUTE }).default(5 * MINUTE),
    /** A P2 not acknowledged this long after it opened gets a reminder in its thread. */
    remindAfter: durationMs({ min: MINUTE, max: 7 * 24 * 60 * MINUTE }).default(30 * MINUTE),
    /** Primary and secondary on-call per chat platform; unnamed platforms say "the secondary on-call". */
    oncall: z.partialRecord(surfaceId, rotation).default({}),
    digest: z
      .object({
        /** Local start of the business day, HH:MM. */
        at: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 09:00')
          .default('09:00'),
        workingDays: z.array(weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
        /**
         * Also post each P3's card in the on-call channel when it opens. Off by default: a P3
         * waits for the digest at the start of the next business day, and its card appears only
         * if it is raised to P2 or P1.
         */
        postCardsAtOnce: z.boolean().default(false),
        /** Defaults to the policy's timeZone. */
        timeZone: timeZoneSchema.optional(),
        /** Also mail the digest (needs SMTP_URL). */
        email: z
          .object({ from: z.email(), to: z.array(z.email()).min(1).max(50) })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type PagingPolicy = z.infer<typeof pagingPolicy>;
