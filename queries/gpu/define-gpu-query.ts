import type { z } from 'zod';
import { UserFacingError } from '../../core/errors.ts';
import { type GpuQuerySpec, type GpuQuerySpecInput, gpuQuerySpec } from './query-spec.ts';

/**
 * A reviewed GPU query: parameters (zod, also the LLM tool schema) and a builder that turns
 * validated parameters into named structured specs, e.g. `{ util, temp, … }` for one card.
 */
export interface VettedGpuQuery<P extends z.ZodType = z.ZodType> {
  id: string;
  title: string;
  description: string;
  examples: readonly string[];
  /** Instant queries read "now"; range queries carry `range` in every spec. */
  kind: 'instant' | 'range';
  params: P;
  build(params: z.output<P>): Record<string, GpuQuerySpecInput>;
}

/** Declares a vetted GPU query; the identity function, there for type inference. */
export function defineGpuQuery<P extends z.ZodType>(query: VettedGpuQuery<P>): VettedGpuQuery<P> {
  return query;
}

/**
 * Validates raw parameters (from a command, a button or an LLM tool call) and builds the specs.
 * Invalid input becomes a {@link UserFacingError} that says which parameter is wrong and why.
 */
export function buildGpuQuery<P extends z.ZodType>(
  query: VettedGpuQuery<P>,
  raw: unknown,
): Record<string, GpuQuerySpec> {
  const parsed = query.params.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
    throw new UserFacingError('INVALID_QUERY_PARAMS', `${query.title}: ${problems.join('; ')}`);
  }
  const specs = query.build(parsed.data);
  return Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, gpuQuerySpec.parse(spec)]));
}
