import { z } from 'zod';

/** Scalar types of the engine, named as in Log Analytics results. */
export const kqlTypeSchema = z.enum([
  'string',
  'long',
  'int',
  'real',
  'bool',
  'datetime',
  'timespan',
  'dynamic',
]);
/** A scalar type name. */
export type KqlType = z.infer<typeof kqlTypeSchema>;

/** Type names accepted in declarations, mapped to the engine's types. */
export const TYPE_ALIASES: Record<string, KqlType> = {
  string: 'string',
  long: 'long',
  int: 'int',
  real: 'real',
  double: 'real',
  decimal: 'real',
  bool: 'bool',
  boolean: 'bool',
  datetime: 'datetime',
  date: 'datetime',
  timespan: 'timespan',
  time: 'timespan',
  dynamic: 'dynamic',
  guid: 'string',
};

/** Column of a result table (same shape as the Log Analytics query API). */
export const resultColumnSchema = z.object({ name: z.string(), type: kqlTypeSchema });
/** A result table: positional rows, as returned by the Log Analytics query API. */
export const queryResultSchema = z.object({
  columns: z.array(resultColumnSchema),
  rows: z.array(z.array(z.unknown())),
});
/** A result table. */
export type QueryResult = z.infer<typeof queryResultSchema>;
