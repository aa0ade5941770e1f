import { z } from 'zod';
import { timeZoneSchema } from '../../core/time-zone.ts';

const isoInstant = z.iso.datetime({ offset: true, error: 'an ISO date-time such as 2026-12-08T09:00:00Z' });

/** A stand-in for part of a shift: `member` is on call from `from` until `to`. */
const override = z
  .object({ member: z.string().min(1).max(80), from: isoInstant, to: isoInstant })
  .strict()
  .refine((o) => Date.parse(o.from) < Date.parse(o.to), { message: 'from must be before to', path: ['to'] });

/**
 * One escalation level's rotation: members take turns, each for `shiftDays` days, handing over at
 * `handoff` local time in `timeZone`; the first member's first shift starts on `start`.
 */
export const rotationPolicy = z
  .object({
    name: z.string().min(1).max(80),
    /** As each chat platform's people read them (names, or Slack mentions such as <@U0123>). */
    members: z.array(z.string().min(1).max(80)).min(1).max(100),
    handoff: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 09:00')
      .default('09:00'),
    timeZone: timeZoneSchema.default('UTC'),
    shiftDays: z.number().int().min(1).max(28).default(7),
    start: z.iso.date('a date such as 2026-12-07'),
    overrides: z.array(override).max(200).default([]),
  })
  .strict();
export type RotationPolicy = z.infer<typeof rotationPolicy>;

/** The `oncall` section of the policy file: the escalation levels' rotations, level 1 first. */
export const oncallPolicy = z.object({ rotations: z.array(rotationPolicy).min(1).max(10) }).strict();
export type OncallPolicy = z.infer<typeof oncallPolicy>;
