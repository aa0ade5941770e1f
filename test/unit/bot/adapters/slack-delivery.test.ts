import { verifySlackRequest } from '@slack/bolt';
import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { toDeliveryError } from '../../../../bot/adapters/slack/delivery-errors.ts';
import { SlackPacer } from '../../../../bot/adapters/slack/pacer.ts';
import { ManualClock } from '../../../../core/clock.ts';
import { DeliveryError } from '../../../../core/errors.ts';

describe('Slack request signatures', () => {
  // formats.md §6: Slack's documented worked example.
  const example = {
    signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
    body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    headers: {
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-slack-request-timestamp': 1531420618,
    },
  };

  it('verifies the documented example within the 5-minute window', () => {
    expect(() =>
      verifySlackRequest({ ...example, nowMilliseconds: (1531420618 + 299) * 1000 }),
    ).not.toThrow();
  });

  it('refuses it after 5 minutes and with one byte changed', () => {
    expect(() => verifySlackRequest({ ...example, nowMilliseconds: (1531420618 + 301) * 1000 })).toThrow();
    expect(() =>
      verifySlackRequest({
        ...example,
        body: example.body.replace('roadrunner', 'roadrunneR'),
        nowMilliseconds: 1531420618 * 1000,
      }),
    ).toThrow();
  });
});

describe('toDeliveryError', () => {
  it('a 429 is retryable after Retry-After', () => {
    const e = toDeliveryError('chat.postMessage', { code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(e).toBeInstanceOf(DeliveryError);
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(7000);
  });

  it.each(['channel_not_found', 'invalid_blocks', 'msg_too_long', 'invalid_auth', 'not_in_channel'])(
    '%s is not retryable',
    (error) => {
      const e = toDeliveryError('chat.postMessage', { code: ErrorCode.PlatformError, data: { error } });
      expect(e.retryable).toBe(false);
      expect(e.code).toBe(`SLACK_${error.toUpperCase()}`);
    },
  );

  it('server errors, unknown platform errors and network failures are retried', () => {
    expect(toDeliveryError('m', { code: ErrorCode.HTTPError, statusCode: 503 }).retryable).toBe(true);
    expect(toDeliveryError('m', { code: ErrorCode.HTTPError, statusCode: 400 }).retryable).toBe(false);
    expect(
      toDeliveryError('m', { code: ErrorCode.PlatformError, data: { error: 'internal_error' } }).retryable,
    ).toBe(true);
    expect(toDeliveryError('m', new Error('ECONNREFUSED')).retryable).toBe(true);
  });
});

describe('SlackPacer', () => {
  it('lets one postMessage per second through per channel, independently per channel', () => {
    const clock = new ManualClock();
    const pacer = new SlackPacer(clock, 1000);
    pacer.take('chat.postMessage', 'C1', true);
    pacer.take('chat.postMessage', 'C2', true);
    const early = (() => {
      try {
        pacer.take('chat.postMessage', 'C1', true);
      } catch (err) {
        return err as DeliveryError;
      }
    })();
    expect(early?.retryable).toBe(true);
    expect(early?.retryAfterMs).toBe(1000);
    clock.advance(1000);
    expect(() => pacer.take('chat.postMessage', 'C1', true)).not.toThrow();
  });

  it('holds a method and channel back until a 429 Retry-After has passed; updates are not paced', () => {
    const clock = new ManualClock();
    const pacer = new SlackPacer(clock, 1000);
    pacer.take('chat.update', 'C1', false);
    expect(() => pacer.take('chat.update', 'C1', false)).not.toThrow();
    pacer.backOff('chat.update', 'C1', 5000);
    clock.advance(4999);
    expect(() => pacer.take('chat.update', 'C1', false)).toThrow(DeliveryError);
    clock.advance(1);
    expect(() => pacer.take('chat.update', 'C1', false)).not.toThrow();
  });
});
