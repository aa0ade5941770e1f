import type { Clock } from '../../core/clock.ts';
import type { DeliveryTarget } from '../../core/outbox/delivery-target.ts';
import { type PagerDutyTarget, sendPagerDutyEvent } from './pagerduty-client.ts';
import type { PagerDutyEventBody } from './pagerduty-event.ts';
import { type Mail, type SmtpTarget, sendMail } from './smtp-client.ts';

/** PagerDuty Events API v2 as a delivery target: one event per attempt. */
export function pagerDutyDeliveryTarget(
  pd: PagerDutyTarget,
  clock: Clock,
): DeliveryTarget<PagerDutyEventBody> {
  return {
    id: 'pagerduty',
    async deliver(event) {
      await sendPagerDutyEvent(pd, event, clock.now());
      return { kind: 'delivered' };
    },
  };
}

/** An SMTP relay as a delivery target; recipients refused while others got it are a warning, not a retry (that would mail the others twice). */
export function emailDeliveryTarget(smtp: SmtpTarget, clock: Clock): DeliveryTarget<Mail> {
  return {
    id: 'email',
    async deliver(mail) {
      const { rejected } = await sendMail(smtp, mail, new Date(clock.now()));
      return rejected.length > 0
        ? { kind: 'delivered', warning: `the relay refused ${rejected.join(', ')}` }
        : { kind: 'delivered' };
    },
  };
}
