import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../../core/clock.ts';
import { DeliveryError } from '../../../core/errors.ts';
import type { Message, Section } from '../../../core/message.ts';
import { parseRetryAfter } from '../../../core/outbox/delivery-target.ts';
import type { Attachment } from '../../../core/outbox/outbox-entry.ts';

/** A chart image of a card: a signed `/charts/<token>.png` URL served by this bot. */
export type ChartImage = Attachment;

/** Fetches a chart's PNG (or a document of `type`); throws a {@link DeliveryError} saying whether to retry. */
export type FetchChart = (url: string, type?: string) => Promise<Buffer>;

/** Runs one Web API call with pacing and error mapping (the surface's `call`). */
export type SlackCall = <T>(
  method: string,
  channel: string,
  paced: boolean,
  run: () => Promise<T>,
) => Promise<T>;

const CHART_PATH = /^\/charts\/[^/]+\.png$/;
/** Slack's alt text limit for files. */
const MAX_ALT = 1000;
const FETCH_TIMEOUT_MS = 10_000;
/** Statuses of the chart route that a later attempt can get past (503: metrics backend down). */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

function isChartUrl(url: string): boolean {
  try {
    return CHART_PATH.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

type ImageSection = Extract<Section, { kind: 'image' }>;
const isChartSection = (s: Section): s is ImageSection => s.kind === 'image' && isChartUrl(s.url);

/**
 * What a message sends into its thread as files, in order: its charts, then the documents it
 * links to as the bot's own downloads (a postmortem draft), so the file is in the channel.
 */
export function threadFiles(m: Message): ChartImage[] {
  const charts = m.sections
    .filter(isChartSection)
    .map((s) => ({ url: s.url, alt: s.alt, ...(s.title ? { title: s.title } : {}) }));
  // Only links the bot marked as its own downloads: a sender's link is never fetched.
  const documents = m.sections.flatMap((s) =>
    s.kind !== 'links'
      ? []
      : s.links.flatMap((l) =>
          l.file ? [{ url: l.url, alt: l.title, title: l.file.name, file: l.file }] : [],
        ),
  );
  return [...charts, ...documents];
}

/**
 * The message as Slack gets it: chart images become a line pointing at the thread, where the
 * PNG is uploaded. Slack fetches `image_url`s itself and rejects the whole message when it cannot
 * (a bot behind a firewall, Socket Mode), so a chart must never be able to stop the card.
 */
export function withChartsInThread(m: Message): Message {
  if (!m.sections.some(isChartSection)) return m;
  return {
    ...m,
    sections: m.sections.map((s) =>
      isChartSection(s) ? { kind: 'text', text: `📈 ${s.title ?? s.alt} (chart in the thread)` } : s,
    ),
  };
}

/**
 * The default {@link FetchChart}: GET the signed URL (the bot's own chart route); a Retry-After
 * given as an HTTP date is counted from `clock`.
 */
export const fetchChartOverHttp =
  (clock: Clock): FetchChart =>
  async (url, type = 'image/png') => {
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (err) {
      throw new DeliveryError(
        'CHART_UNREACHABLE',
        `chart fetch failed: ${(err as Error).message}`,
        true,
        undefined,
        {
          cause: err,
        },
      );
    }
    if (res.status !== 200 || res.headers.get('content-type')?.split(';')[0]?.trim() !== type) {
      await res.body?.cancel();
      // The token is in the URL; say only which status came back.
      throw new DeliveryError(
        `CHART_HTTP_${res.status}`,
        `chart fetch answered HTTP ${res.status}`,
        RETRYABLE_STATUS.has(res.status),
        parseRetryAfter(res.headers.get('retry-after'), clock.now()),
      );
    }
    return Buffer.from(await res.arrayBuffer());
  };

async function putBytes(uploadUrl: string, bytes: Buffer): Promise<void> {
  let res: Response;
  try {
    res = await fetch(uploadUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (err) {
    throw new DeliveryError(
      'SLACK_UPLOAD_UNREACHABLE',
      `file upload failed: ${(err as Error).message}`,
      true,
      undefined,
      {
        cause: err,
      },
    );
  }
  await res.body?.cancel();
  if (!res.ok) {
    throw new DeliveryError(
      'SLACK_UPLOAD_HTTP_ERROR',
      `file upload: HTTP ${res.status}`,
      res.status >= 500 || res.status === 429,
    );
  }
}

export interface ChartUploaderDeps {
  client: WebClient;
  call: SlackCall;
  fetchChart: FetchChart;
}

/**
 * Uploads one chart into a thread with Slack's files upload v2 flow: `files.getUploadURLExternal`,
 * the bytes to the returned URL, then `files.completeUploadExternal` with `channel_id` and
 * `thread_ts`, which shares it as a thread reply. Each step may throw a {@link DeliveryError};
 * a retry starts the chart over (an unfinished upload is never shared).
 */
export function createChartUploader(deps: ChartUploaderDeps) {
  return async function uploadChart(channel: string, threadTs: string, chart: ChartImage, index: number) {
    const bytes = await deps.fetchChart(chart.url, chart.file?.type);
    const alt = chart.alt.slice(0, MAX_ALT);
    const target = await deps.call('files.getUploadURLExternal', channel, false, () =>
      deps.client.files.getUploadURLExternal({
        filename: chart.file?.name ?? `chart-${index + 1}.png`,
        length: bytes.length,
        alt_text: alt,
      }),
    );
    if (!target.upload_url || !target.file_id) {
      throw new DeliveryError(
        'SLACK_NO_UPLOAD_URL',
        'files.getUploadURLExternal returned no upload_url',
        true,
      );
    }
    await putBytes(target.upload_url, bytes);
    const fileId = target.file_id;
    await deps.call('files.completeUploadExternal', channel, false, () =>
      deps.client.files.completeUploadExternal({
        files: [{ id: fileId, title: chart.title ?? chart.alt }],
        channel_id: channel,
        thread_ts: threadTs,
      }),
    );
  };
}

export type ChartUploader = ReturnType<typeof createChartUploader>;
