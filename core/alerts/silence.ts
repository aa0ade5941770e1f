import { z } from 'zod';

export const silence = z.object({
  id: z.number().int().positive(),
  matchers: z.array(z.object({ name: z.string(), op: z.enum(['=', '!=', '=~', '!~']), value: z.string() })),
  createdBy: z.string(),
  createdAt: z.number(),
  endsAt: z.number(),
  comment: z.string(),
  /** Set when the silence was made from an incident's card: it covers that incident's group. */
  incidentId: z.number().int().nullable(),
  expiredAt: z.number().nullable(),
});
export type Silence = z.infer<typeof silence>;
