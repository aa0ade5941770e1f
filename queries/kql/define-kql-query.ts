import { z } from 'zod';
import { kqlTypeSchema } from '../engine/types.ts';
import { readKqlText } from './kql-text.ts';

/** How a query's result is best shown in chat. */
export const kqlShow = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('table') }),
  /** A line chart over a time column, one line per `y` column (split by `series` when given). */
  z.object({
    kind: z.literal('line'),
    x: z.string(),
    y: z.array(z.string()).min(1),
    series: z.string().optional(),
    unit: z.string().optional(),
  }),
  /** One number, from the first row. */
  z.object({ kind: z.literal('stat'), column: z.string(), unit: z.string().optional() }),
]);
export type KqlShow = z.infer<typeof kqlShow>;

const definitionShape = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  title: z.string().min(3).max(80),
  description: z.string().min(10),
  examples: z.array(z.string().min(3)).min(3),
  columns: z.array(z.object({ name: z.string(), type: kqlTypeSchema })).min(1),
  show: kqlShow,
  /** Output may identify people: answered only in a direct message to an authorised user. */
  private: z.boolean().default(false),
  /**
   * Parameters set from configuration (the policy file), never from chat: the query runner supplies
   * them and refuses a value typed by a person.
   */
  configured: z.array(z.string()).default([]),
});

/** A vetted KQL query: its reviewed `.kql` text plus typed metadata; `params` is the parameter truth. */
export interface KqlQuery<P extends z.ZodObject = z.ZodObject> extends z.output<typeof definitionShape> {
  params: P;
  /** The reviewed text of `queries/kql/<id>.kql`, starting with `declare query_parameters(...)`. */
  text: string;
}

/** Defines a vetted query; reads its `.kql` file once and validates the metadata. */
export function defineKqlQuery<P extends z.ZodObject>(
  def: z.input<typeof definitionShape> & { params: P },
): KqlQuery<P> {
  const meta = definitionShape.parse(def);
  return { ...meta, params: def.params, text: readKqlText(meta.id) };
}
