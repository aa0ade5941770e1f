import { z } from 'zod';
import { questionRefusalReason } from './security-event.ts';

const paramValue = z.union([z.string(), z.number()]);

/** One vetted query the router considered, with the parameters the question gave it. */
export const candidate = z.object({
  id: z.string(),
  title: z.string(),
  params: z.record(z.string(), paramValue),
  score: z.number(),
});
export type Candidate = z.infer<typeof candidate>;

/** What the router decided for one question; only `query` ever leads to running anything. */
export const routeDecision = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('query'),
    id: z.string(),
    title: z.string(),
    source: z.enum(['kql', 'gpu']),
    /** Raw parameters, already accepted by the query's zod schema (re-validated when run). */
    params: z.record(z.string(), paramValue),
    /** "deployment=gpt-4o · since 00:00": what the card repeats back. */
    interpretation: z.array(z.string()),
    /** Things the question said that this query cannot filter on (e.g. a team). */
    ignored: z.array(z.string()),
    confidence: z.number().min(0).max(1),
    alternatives: z.array(candidate),
  }),
  z.object({
    kind: z.literal('clarify'),
    reason: z.enum(['ambiguous', 'missing-param', 'invalid-params']),
    message: z.string(),
    candidates: z.array(candidate).max(3),
  }),
  z.object({
    kind: z.literal('no-match'),
    message: z.string(),
    suggestions: z.array(z.object({ id: z.string(), title: z.string(), example: z.string().optional() })),
  }),
  z.object({
    kind: z.literal('refused'),
    reason: questionRefusalReason,
    securityEvent: z.literal(true),
  }),
]);
export type RouteDecision = z.infer<typeof routeDecision>;
