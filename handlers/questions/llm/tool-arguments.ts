import { z } from 'zod';
import type { RoutableQuery } from '../routable-query.ts';
import type { LlmFailure } from './llm-response.ts';
import { modelParamNames } from './tool-schemas.ts';

/** What strict tool arguments may hold: a flat object of strings, numbers and nulls. */
const rawArguments = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export type ParsedArguments =
  | { ok: true; params: Record<string, string | number> }
  | { ok: false; failure: LlmFailure };

/** The arguments text of a tool call as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A query tool's arguments, re-validated: JSON, only the parameters its tool offers, nulls
 * dropped (absent, so the query's defaults apply), then the query's zod schema. The raw values
 * are returned; the backend validates them again before binding.
 */
export function parseQueryArguments(query: RoutableQuery, text: string): ParsedArguments {
  const json = parseJson(text);
  if (json === undefined) return { ok: false, failure: 'bad-arguments-json' };
  const raw = rawArguments.safeParse(json);
  if (!raw.success) return { ok: false, failure: 'invalid-arguments' };
  const known = modelParamNames(query);
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(raw.data)) {
    if (!known.has(name)) return { ok: false, failure: 'invalid-arguments' };
    if (value !== null) params[name] = value;
  }
  if (!query.params.safeParse(params).success) return { ok: false, failure: 'invalid-arguments' };
  return { ok: true, params };
}
