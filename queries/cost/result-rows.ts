import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { LogsResult } from '../backends/logs-backend.ts';

/**
 * A vetted query's result rows as objects checked by `row`: the backend answers positional rows
 * whose columns the query's metadata names, so a column that went missing or changed type fails
 * here, naming the column, instead of turning into a silent zero on a cost card.
 */
export function resultRows<S extends z.ZodObject>(
  result: LogsResult,
  row: S,
  queryId: string,
): z.output<S>[] {
  const names = result.columns.map((c) => c.name);
  return result.rows.map((values, i) => {
    const record = Object.fromEntries(names.map((n, j) => [n, values[j]]));
    const parsed = row.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'COST_QUERY_SHAPE',
        `${queryId}: row ${i}, column ${String(issue?.path[0] ?? '?')}: ${issue?.message ?? 'unexpected value'}`,
      );
    }
    return parsed.data;
  });
}

/** A count column: Log Analytics sends longs as numbers (or, beyond 2^53, text). */
export const countCell = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);
/** A real column; null (no rows) reads as 0. */
export const amountCell = z.union([z.number(), z.null()]).transform((v) => v ?? 0);
