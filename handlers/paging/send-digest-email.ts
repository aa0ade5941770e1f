import { z } from 'zod';
import { nextDelayMs } from '../../core/backoff.ts';
import { DeliveryError } from '../../core/errors.ts';
import type { PagingDeps } from './paging-deps.ts';
import { sendMail } from './smtp-client.ts';

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 10;

const queuedMail = z.object({
  from: z.string(),
  to: z.array(z.string()).min(1),
  subject: z.string(),
  text: z.string(),
});

/**
 * Mails due digests through the SMTP relay, each leased to one sender; deferrals (4xx), connection,
 * TLS and AUTH failures and refused recipients are retried with backoff, a 5xx for the message is
 * not (see {@link sendMail}). A sender dying after the relay accepted a mail but before
 * recording it makes the mail go out again: email has no dedup key, so at-least-once is the best a
 * relay without one allows.
 */
export async function sendDigestEmails(deps: PagingDeps): Promise<number> {
  const smtp = deps.smtp;
  if (!smtp) return 0;
  const due = await deps.repo.claimDigestEmails(deps.clock.now(), LEASE_MS);
  for (const d of due) {
    try {
      const { rejected } = await sendMail(
        smtp,
        queuedMail.parse(JSON.parse(d.body)),
        new Date(deps.clock.now()),
      );
      await deps.repo.finishDigestEmail(d.day, { sent: true });
      deps.logger.info({ day: d.day, code: 'PAGING_DIGEST_MAILED' }, 'P3 digest mailed');
      // The others got it, so a retry would mail them twice; the refused ones are named instead.
      if (rejected.length > 0)
        deps.logger.warn(
          { day: d.day, rejected, code: 'PAGING_DIGEST_RECIPIENTS_REFUSED' },
          'the relay refused some digest recipients',
        );
    } catch (err) {
      const message = (err as Error).message;
      if (err instanceof DeliveryError && err.retryable && d.attempts < MAX_ATTEMPTS) {
        const retryAt = deps.clock.now() + nextDelayMs(d.attempts, err.retryAfterMs, deps.backoff);
        await deps.repo.finishDigestEmail(d.day, { retryAt, error: message });
        deps.logger.warn({ day: d.day, code: err.code, retryAt }, 'digest email will be retried');
      } else {
        await deps.repo.finishDigestEmail(d.day, { failed: message });
        deps.logger.error({ day: d.day, err }, 'digest email failed; not retried');
      }
    }
  }
  return due.length;
}
