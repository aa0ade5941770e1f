import { StoreUnavailableError } from '../../core/errors.ts';

/** What the repos need from a pool or from a client checked out for a transaction. */
export interface Db {
  query<R>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /** The same, with how many rows the statement changed. */
  execute<R>(text: string, values?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

/** The subset of `pg`'s Pool and PoolClient the store uses (also what a test double would need). */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount?: number | null }>;
}

// Network errors of the socket and pg's own code-less messages when the server goes away.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'ENOENT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error|Cannot use a pool after calling end|Client was closed/i;

/** The SQLSTATE (or errno code) of a driver error, '' if none. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * True when the database could not be reached or refused work for a reason that passes (restart,
 * connection limit, disk full): the caller should answer 503 and the sender retry.
 */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  const code = errorCode(err);
  if (NETWORK_CODES.has(code)) return true;
  // 08: connection exception; 53: insufficient resources; 57P0x: shutdown, cannot connect now.
  if (/^(08|53|57P0)/.test(code)) return true;
  return code === '' && err instanceof Error && DRIVER_MESSAGES.test(err.message);
}

/** Rethrows connection-level failures as {@link StoreUnavailableError}; everything else as is. */
export function toStoreError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError || !isUnavailable(err)) return err;
  const code = errorCode(err);
  return new StoreUnavailableError(`database unavailable${code ? ` (${code})` : ''}`, { cause: err });
}

/** Adapts a pool or a client to {@link Db}, translating connection failures on the way. */
export function wrapQueryable(q: PgQueryable): Db {
  async function execute<R>(text: string, values?: readonly unknown[]) {
    try {
      const result = await q.query(text, values ? [...values] : undefined);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    } catch (err) {
      throw toStoreError(err);
    }
  }
  return {
    execute,
    query: async <R>(text: string, values?: readonly unknown[]) => (await execute<R>(text, values)).rows,
  };
}
