import { verifySlackRequest } from '@slack/bolt';

/** Slack's documented replay window: a request is refused when `|now − timestamp|` exceeds it. */
export const SLACK_MAX_SKEW_SECONDS = 300;

export interface SlackSignedRequest {
  signingSecret: string;
  /** The raw body exactly as received. */
  body: string;
  signature: string;
  /** `X-Slack-Request-Timestamp` as sent: unix seconds. */
  timestamp: string;
  /** Now on the bot's clock. */
  nowMs: number;
}

/**
 * Checks a request signed by Slack: the timestamp must be within five minutes of now in either
 * direction, then the HMAC over `v0:<ts>:<body>` must match. Bolt's own check only refuses stale
 * timestamps, so a request stamped in the future (a captured request replayed later, or a forged
 * clock) would pass it; the window is enforced here first. Throws with the reason.
 */
export function verifySlackSignature(req: SlackSignedRequest): void {
  if (!/^\d{1,12}$/.test(req.timestamp)) {
    throw new Error('x-slack-request-timestamp is not a number of unix seconds');
  }
  const skew = Math.abs(Math.floor(req.nowMs / 1000) - Number(req.timestamp));
  if (skew > SLACK_MAX_SKEW_SECONDS) {
    throw new Error(
      `x-slack-request-timestamp is ${skew}s away from now (at most ${SLACK_MAX_SKEW_SECONDS}s)`,
    );
  }
  verifySlackRequest({
    signingSecret: req.signingSecret,
    body: req.body,
    headers: {
      'x-slack-signature': req.signature,
      'x-slack-request-timestamp': Number(req.timestamp),
    },
    nowMilliseconds: req.nowMs,
  });
}
