import { z } from 'zod';
import { attemptDelivery, settleDelivery } from '../../core/outbox/delivery-target.ts';
import { emailDeliveryTarget } from './delivery-targets.ts';
import type { PagingDeps } from './paging-deps.ts';

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
  const target = emailDeliveryTarget(smtp, deps.clock);
  const due = await deps.repo.claimDigestEmails(deps.clock.now(), LEASE_MS);
  for (const d of due) {
    const outcome = await attemptDelivery(target, queuedMail.parse(JSON.parse(d.body)));
    const now = deps.clock.now();
    const settled = settleDelivery(outcome, d.attempts, {
      now,
      maxAttempts: MAX_ATTEMPTS,
      backoff: deps.backoff,
    });
    if (settled.kind === 'done') {
      await deps.repo.finishDigestEmail(d.day, { sent: true });
      deps.logger.info({ day: d.day, code: 'PAGING_DIGEST_MAILED' }, 'P3 digest mailed');
      if (settled.warning)
        deps.logger.warn(
          { day: d.day, code: 'PAGING_DIGEST_RECIPIENTS_REFUSED', reason: settled.warning },
          'the relay refused some digest recipients',
        );
    } else if (settled.kind === 'retry') {
      await deps.repo.finishDigestEmail(d.day, { retryAt: settled.at, error: settled.reason });
      deps.logger.warn(
        { day: d.day, code: settled.code, retryAt: settled.at },
        'digest email will be retried',
      );
    } else {
      await deps.repo.finishDigestEmail(d.day, { failed: settled.reason });
      deps.logger.error(
        { day: d.day, code: settled.code, reason: settled.reason },
        'digest email failed; not retried',
      );
    }
  }
  return due.length;
}
