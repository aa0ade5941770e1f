import { createHmac } from 'node:crypto';
import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';

/** Helpers for tests that drive the local Slack Web API and Bolt with the real SDKs. */

/** A real WebClient pointed at the local server, retrying at once (no back-off) so tests stay fast. */
export function createTestWebClient(
  server: { url: string; token: string },
  extra: WebClientOptions = {},
): WebClient {
  return new WebClient(server.token, {
    slackApiUrl: server.url,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 3, factor: 1, minTimeout: 0, maxTimeout: 0 },
    ...extra,
  });
}

export interface CapturedWebApiError {
  code?: string;
  /** Slack's error string for platform errors (`invalid_blocks`, …). */
  error?: string;
  messages?: string[];
  /** Seconds, for rate-limit errors (`rejectRateLimitedCalls`). */
  retryAfter?: number;
}

/** Awaits a WebClient call that should fail and returns what the error says; throws if it succeeded. */
export async function captureWebApiError(call: Promise<unknown>): Promise<CapturedWebApiError> {
  type SdkError = {
    code?: string;
    retryAfter?: number;
    data?: { error?: string; response_metadata?: { messages?: string[] } };
  };
  const outcome = await call.then(
    () => ({ failed: false as const }),
    (e: unknown) => ({ failed: true as const, e: e as SdkError }),
  );
  if (!outcome.failed) throw new Error('expected the Web API call to fail');
  const { code, retryAfter, data } = outcome.e;
  return { code, error: data?.error, messages: data?.response_metadata?.messages, retryAfter };
}

/**
 * Headers Slack puts on requests to the app: `v0=` + HMAC-SHA256 over `v0:<ts>:<raw body>` with the
 * signing secret (formats.md §6).
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSec: number,
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': `v0=${signature}` };
}
