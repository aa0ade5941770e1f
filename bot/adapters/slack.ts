import type { WebClient } from '@slack/web-api';
import type { Message } from '../../cards/model.ts';
import { toBlockKit } from '../../cards/render/block-kit.ts';
import type { Clock } from '../clock.ts';
import { AppError, DeliveryError } from '../errors.ts';
import type { MessageRef } from '../outbox/outbox-entry.ts';
import type { ChatSurface } from './chat-surface.ts';
import { toDeliveryError } from './slack/delivery-errors.ts';
import { SlackPacer } from './slack/pacer.ts';

export interface SlackSurfaceDeps {
  /** A WebClient with retries off and `rejectRateLimitedCalls`, so the outbox owns retrying. */
  client: WebClient;
  clock: Clock;
  /** Removes secrets from everything posted. */
  scrub: (s: string) => string;
  /** Minimum spacing of chat.postMessage per channel; Slack allows about 1/s. */
  postIntervalMs?: number;
}

/**
 * Slack as a {@link ChatSurface}: cards as Block Kit through `chat.postMessage`, in-place updates
 * with `chat.update`, replies with `thread_ts`. Message ids are Slack `ts` values; a reply's
 * ref carries its thread root in `extra.threadId`.
 */
export function createSlackSurface(deps: SlackSurfaceDeps): ChatSurface {
  const pacer = new SlackPacer(deps.clock, deps.postIntervalMs ?? 1000);

  function render(m: Message): { text: string; blocks: unknown[] } {
    let rendered: ReturnType<typeof toBlockKit>;
    try {
      rendered = toBlockKit(m);
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'BLOCK_KIT_RENDER_FAILED';
      throw new DeliveryError(code, `cannot render for Slack: ${(err as Error).message}`, false, undefined, {
        cause: err,
      });
    }
    return JSON.parse(deps.scrub(JSON.stringify(rendered)));
  }

  async function call<T>(method: string, channel: string, paced: boolean, run: () => Promise<T>): Promise<T> {
    pacer.take(method, channel, paced);
    try {
      return await run();
    } catch (err) {
      const failure = toDeliveryError(method, err);
      if (failure.retryAfterMs !== undefined) pacer.backOff(method, channel, failure.retryAfterMs);
      throw failure;
    }
  }

  async function postMessage(channel: string, m: Message, threadTs?: string): Promise<MessageRef> {
    const body = render(m);
    const res = await call('chat.postMessage', channel, true, () =>
      deps.client.chat.postMessage({
        channel,
        text: body.text,
        // The renderer's blocks are validated against Block Kit's limits; the SDK's union type
        // of every block kind adds nothing here.
        blocks: body.blocks as never,
        unfurl_links: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      }),
    );
    if (!res.ts) throw new DeliveryError('SLACK_NO_TS', 'chat.postMessage returned no ts', true);
    const posted = res.channel ?? channel;
    return { surface: 'slack', channel: posted, id: res.ts, extra: threadTs ? { threadId: threadTs } : {} };
  }

  return {
    id: 'slack',
    post: (channel, m) => postMessage(channel, m),
    reply: (thread, m) => postMessage(thread.channel, m, thread.extra.threadId ?? thread.id),
    async update(ref, m) {
      const body = render(m);
      await call('chat.update', ref.channel, false, () =>
        deps.client.chat.update({
          channel: ref.channel,
          ts: ref.id,
          text: body.text,
          blocks: body.blocks as never,
        }),
      );
    },
  };
}
