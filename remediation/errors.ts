import { AppError, UserFacingError } from '../core/errors.ts';

/** A plan would break a guardrail of the policy; the message says which and why. */
export function guardrailBreach(reason: string): UserFacingError {
  return new UserFacingError('GUARDRAIL', `Refused by guardrail: ${reason}.`);
}

/** A call to the cluster or cloud failed; `status` is the HTTP code when there was one. */
export class ExecutorError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  /** The object changed since it was read: 409 (Kubernetes) or 412 (ARM If-Match). */
  get conflict(): boolean {
    return this.status === 409 || this.status === 412;
  }
}
