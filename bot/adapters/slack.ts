import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { toBlockKit } from '../../cards/render/block-kit.ts';
import type { ChatSurface } from '../../core/chat-surface.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError, DeliveryError } from '../../core/errors.ts';
import type { Message } from '../../core/message.ts';
import type { Attachment, MessageRef } from '../../core/outbox/outbox-entry.ts';
import type { Logger } from '../logger.ts';
import {
  createChartUploader,
  type FetchChart,
  fetchChartOverHttp,
  threadFiles,
  withChartsInThread,
} from './slack/chart-uploads.ts';
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
  /** Gets a chart's PNG for upload; by default an HTTP GET of its signed URL. */
  fetchChart?: FetchChart;
  logger?: Logger;
}

/** The metadata event type of the bot's own messages; its payload holds the delivery key. */
const DELIVERY_EVENT = 'oncall_bot_delivery';

/** What the bot reads of a conversations.history/.replies page. */
const postedMessages = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z
          .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) })
          .optional(),
      }),
    )
    .default([]),
});

/**
 * Slack as a {@link ChatSurface}: cards as Block Kit through `chat.postMessage`, in-place updates
 * with `chat.update`, replies with `thread_ts`. Message ids are Slack `ts` values; a reply's
 * ref carries its thread root in `extra.threadId`.
 *
 * Every message carries its delivery key in Slack message metadata, so a retry can find a message
 * Slack posted although its answer was lost (`conversations.history`/`.replies`) instead of
 * posting it twice. Charts are uploaded into the message's thread (files upload v2) as attachments
 * the outbox queues after the message: an upload that fails is retried on its own.
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

  async function postMessage(
    channel: string,
    m: Message,
    threadTs?: string,
    key?: string,
  ): Promise<MessageRef> {
    const body = render(withChartsInThread(m));
    const res = await call('chat.postMessage', channel, true, () =>
      deps.client.chat.postMessage({
        channel,
        text: body.text,
        // The renderer's blocks are validated against Block Kit's limits; the SDK's union type
        // of every block kind adds nothing here.
        blocks: body.blocks as never,
        unfurl_links: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(key ? { metadata: { event_type: DELIVERY_EVENT, event_payload: { key } } } : {}),
      }),
    );
    if (!res.ts) throw new DeliveryError('SLACK_NO_TS', 'chat.postMessage returned no ts', true);
    const posted = res.channel ?? channel;
    return { surface: 'slack', channel: posted, id: res.ts, extra: threadTs ? { threadId: threadTs } : {} };
  }

  const uploadChart = createChartUploader({
    client: deps.client,
    call,
    fetchChart: deps.fetchChart ?? fetchChartOverHttp(deps.clock),
  });

  /** Looks for the message posted with `key` among the channel's (or thread's) recent messages. */
  async function findPosted(
    where: { channel: string; thread: MessageRef | null },
    key: string,
    since: number,
  ): Promise<MessageRef | undefined> {
    const threadTs = where.thread ? (where.thread.extra.threadId ?? where.thread.id) : undefined;
    const channel = where.thread?.channel ?? where.channel;
    // A minute of slack for clock skew between the bot and Slack.
    const oldest = String(Math.max(0, Math.floor(since / 1000) - 60));
    const page = await call(
      threadTs ? 'conversations.replies' : 'conversations.history',
      channel,
      false,
      () =>
        threadTs
          ? deps.client.conversations.replies({
              channel,
              ts: threadTs,
              oldest,
              include_all_metadata: true,
              limit: 200,
            })
          : deps.client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }),
    );
    const found = postedMessages
      .parse(page)
      .messages.find(
        (m) => m.metadata?.event_type === DELIVERY_EVENT && m.metadata.event_payload.key === key,
      );
    if (!found) return undefined;
    return { surface: 'slack', channel, id: found.ts, extra: threadTs ? { threadId: threadTs } : {} };
  }

  async function sendAttachment(thread: MessageRef, chart: Attachment, index: number): Promise<void> {
    try {
      await uploadChart(thread.channel, thread.extra.threadId ?? thread.id, chart, index);
    } catch (err) {
      if (!(err instanceof DeliveryError) || err.retryable) throw err;
      // A chart that can never be uploaded (expired link, rejected file) is left out, not retried.
      deps.logger?.warn({ err, code: err.code, surface: 'slack' }, 'chart left out of the thread');
    }
  }

  return {
    id: 'slack',
    post: (channel, m, options) => postMessage(channel, m, undefined, options?.key),
    reply: (thread, m, options) =>
      postMessage(thread.channel, m, thread.extra.threadId ?? thread.id, options?.key),
    findPosted,
    attachmentsOf: threadFiles,
    sendAttachment,
    async update(ref, m) {
      // Charts are in the thread already; the card keeps pointing there.
      const body = render(withChartsInThread(m));
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
