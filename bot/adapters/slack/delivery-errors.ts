import { ErrorCode } from '@slack/web-api';
import { DeliveryError } from '../../../core/errors.ts';

/** Slack errors that no retry can fix: the request itself is wrong or the app lacks access. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'not_allowed_token_type',
  'invalid_arguments',
]);

interface SlackSdkError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
  message?: string;
}

/**
 * Maps a `@slack/web-api` failure to a {@link DeliveryError}: 429 waits for Retry-After, request
 * errors and unknown platform errors are retried, and errors that would fail again are not.
 */
export function toDeliveryError(method: string, err: unknown): DeliveryError {
  const e = (err ?? {}) as SlackSdkError;
  const cause = { cause: err };
  if (e.code === ErrorCode.RateLimitedError) {
    const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
    return new DeliveryError(
      'SLACK_RATE_LIMITED',
      `${method}: rate limited, retry after ${seconds}s`,
      true,
      seconds * 1000,
      cause,
    );
  }
  if (e.code === ErrorCode.PlatformError) {
    const slackError = e.data?.error ?? 'unknown_error';
    const permanent = PERMANENT.has(slackError);
    return new DeliveryError(
      `SLACK_${slackError.toUpperCase()}`,
      `${method}: Slack answered "${slackError}"`,
      !permanent,
      undefined,
      cause,
    );
  }
  if (e.code === ErrorCode.HTTPError) {
    const status = e.statusCode ?? 0;
    return new DeliveryError(
      'SLACK_HTTP_ERROR',
      `${method}: HTTP ${status}`,
      status >= 500 || status === 408,
      undefined,
      cause,
    );
  }
  return new DeliveryError(
    'SLACK_UNREACHABLE',
    `${method}: ${e.message ?? 'request failed'}`,
    true,
    undefined,
    cause,
  );
}
