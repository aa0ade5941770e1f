import { readFileSync } from 'node:fs';
import { BindError, bindParameters, type ParamValue } from '../bind-parameters.ts';

const KQL_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Ids of the six seed queries (files `queries/kql/<id>.kql`). */
export const SEED_QUERY_IDS = [
  'slow-requests',
  'throttle-rate',
  'traffic-latency-errors',
  'token-usage',
  'error-spike',
  'latency-distribution',
] as const;

/** Reads the reviewed text of `queries/kql/<id>.kql`; ids are kebab-case names, never paths. */
export function readKqlText(id: string): string {
  if (!KQL_ID.test(id)) throw new BindError('BIND_UNKNOWN_QUERY', `Invalid vetted query id "${id}"`);
  return readFileSync(new URL(`./${id}.kql`, import.meta.url), 'utf8');
}

/** The text of a vetted query with its parameters bound (see {@link bindParameters}). */
export function readBoundKql(id: string, params: Readonly<Record<string, ParamValue | undefined>>): string {
  return bindParameters(readKqlText(id), params);
}
