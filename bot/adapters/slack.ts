import type { WebClient } from '@slack/web-api';
import { type Message, summarizeMessage } from '../../cards/model.ts';
import { toBlockKit } from '../../cards/render/block-kit.ts';
import type { Clock } from '../clock.ts';
import { AppError, DeliveryError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { MessageRef } from '../outbox/outbox-entry.ts';
import type { ChatSurface } from './chat-surface.ts';
import {
  type ChartImage,
  chartImages,
  createChartUploader,
  type FetchChart,
  fetchChartOverHttp,
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

/** A posted card whose chart upload failed; the outbox's retry finishes it. */
interface PendingCharts {
  ref: MessageRef;
  charts: ChartImage[];
  /** Charts before this index are uploaded (or given up on). */
  done: number;
  expiresAt: number;
}

/** How long a posted card waits for its charts to be retried before a retry posts it again. */
const PENDING_TTL_MS = 60 * 60_000;
const MAX_PENDING = 500;

/**
 * Slack as a {@link ChatSurface}: cards as Block Kit through `chat.postMessage`, in-place updates
 * with `chat.update`, replies with `thread_ts`. Message ids are Slack `ts` values; a reply's
 * ref carries its thread root in `extra.threadId`.
 *
 * Charts are uploaded into the card's thread (files upload v2) after the card is posted, so they
 * never hold the card up. A failed upload fails the delivery like any other call and the outbox
 * retries it; the retry finds the card already posted (remembered in memory, keyed by channel,
 * thread and summary) and only uploads the charts still missing. After a restart in between,
 * the card is posted again: the outbox delivers at least once.
 */
export function createSlackSurface(deps: SlackSurfaceDeps): ChatSurface {
  const pacer = new SlackPacer(deps.clock, deps.postIntervalMs ?? 1000);
  const pending = new Map<string, PendingCharts>();

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

  const uploadChart = createChartUploader({
    client: deps.client,
    call,
    fetchChart: deps.fetchChart ?? fetchChartOverHttp,
  });

  function remember(key: string, state: PendingCharts): void {
    const now = deps.clock.now();
    for (const [k, v] of pending) if (v.expiresAt <= now) pending.delete(k);
    if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
    pending.set(key, state);
  }

  async function postWithCharts(channel: string, m: Message, threadTs?: string): Promise<MessageRef> {
    const charts = chartImages(m);
    if (charts.length === 0) return postMessage(channel, m, threadTs);
    const key = [channel, threadTs ?? '', summarizeMessage(m), ...charts.map((c) => c.alt)].join('\n');
    // A retry of a delivery whose card went out but whose charts did not: only the charts remain.
    let state = pending.get(key);
    pending.delete(key);
    if (!state || state.expiresAt <= deps.clock.now()) {
      const ref = await postMessage(channel, withChartsInThread(m), threadTs);
      state = { ref, charts, done: 0, expiresAt: deps.clock.now() + PENDING_TTL_MS };
    } else {
      // Same charts (same key), freshly signed links.
      state.charts = charts;
    }
    const root = state.ref.extra.threadId ?? state.ref.id;
    while (state.done < state.charts.length) {
      try {
        await uploadChart(state.ref.channel, root, state.charts[state.done]!, state.done);
      } catch (err) {
        if (!(err instanceof DeliveryError) || err.retryable) {
          remember(key, state);
          throw err;
        }
        // A chart that can never be uploaded (expired link, rejected file) is left out, not retried.
        deps.logger?.warn({ err, code: err.code, surface: 'slack', channel }, 'chart left out of the thread');
      }
      state.done++;
    }
    return state.ref;
  }

  return {
    id: 'slack',
    post: (channel, m) => postWithCharts(channel, m),
    reply: (thread, m) => postWithCharts(thread.channel, m, thread.extra.threadId ?? thread.id),
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
