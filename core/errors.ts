/**
 * Errors carry a stable code. Only a {@link UserFacingError}'s text ever reaches chat; everything
 * else is logged with its code and a reference the user can quote.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An error whose message is written for the person in chat: what went wrong and what to do. */
export class UserFacingError extends AppError {}

/** Raised by chat surfaces; tells the outbox whether and when to try again. */
export class DeliveryError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * Not a failure: the bot's own pacing of a platform's budget says "not yet". The outbox tries
 * again exactly when the slot opens, without backing off further or counting it as a retry.
 */
export class DeliveryDeferred extends DeliveryError {
  constructor(code: string, message: string, waitMs: number) {
    super(code, message, true, waitMs);
  }
}

/** The store could not do its job (disk, lock, connection); callers answer 503 so senders retry. */
export class StoreUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', message, options);
  }
}

/** The text shown in chat for an error: the message of a user-facing one, a reference otherwise. */
export function describeForChat(err: unknown, ref: string): string {
  if (err instanceof UserFacingError) return err.message;
  return `Something went wrong (ref ${ref}). The on-call bot's logs have the details.`;
}

/** Error body of every JSON endpoint: a stable code and a sentence saying what to fix. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
