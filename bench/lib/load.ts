import autocannon from 'autocannon';
import { spawnWorker, workerEntry } from '../../core/workers/spawn-worker.ts';
import { percentile } from './local-bot.ts';
import type { PacedSenderInput, PacedSenderOutput } from './paced-sender.ts';

export interface LoadResult {
  rate: number;
  p50: number;
  p99: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/**
 * Drives a URL with autocannon (in this process, the server in another): POST bodies built per
 * request, at a fixed overall rate or as fast as the connections allow.
 */
export async function runLoad(input: {
  url: string;
  headers: Record<string, string>;
  body: (i: number) => string;
  seconds: number;
  connections: number;
  rate?: number;
}): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: input.url,
    method: 'POST',
    connections: input.connections,
    duration: input.seconds,
    ...(input.rate ? { overallRate: input.rate } : {}),
    headers: { 'content-type': 'application/json', ...input.headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: input.body(i++) }) }],
  });
  return {
    rate: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    sent: result.requests.sent,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Figures of a paced (open-loop) run; latencies in ms. */
export interface PacedResult {
  /** Requests scheduled, and the rate they were scheduled at. */
  scheduled: number;
  rate: number;
  ok: number;
  non2xx: number;
  /** Connection errors and requests without an answer by the end of the drain. */
  errors: number;
  /** From each request's scheduled send: what a sender that does not wait for answers sees. */
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** From when each request actually left (the closed-loop view, hides stalls): for comparison. */
  sendP99: number;
  /** How late the sender thread ever sent, and its own loop delay p99: both should be small. */
  senderLagMaxMs: number;
  senderLoopP99Ms: number;
}

/**
 * Sends `rate` requests per second for `seconds` on a fixed schedule from a worker thread, and
 * measures each request's latency from its scheduled send time, not from when it left: when the
 * server stalls, requests that should have gone out meanwhile wait too, and their wait counts
 * (no coordinated omission). Bodies are built here, before the run, so building them costs the
 * schedule nothing.
 */
export async function runPacedLoad(input: {
  url: string;
  headers: Record<string, string>;
  body: (i: number) => string;
  seconds: number;
  rate: number;
  maxSockets?: number;
  drainMs?: number;
}): Promise<PacedResult> {
  const total = Math.max(1, Math.round(input.seconds * input.rate));
  const bodies = Array.from({ length: total }, (_, i) => input.body(i));
  const data: PacedSenderInput = {
    url: input.url,
    headers: input.headers,
    bodies,
    rate: input.rate,
    maxSockets: input.maxSockets ?? 256,
    drainMs: input.drainMs ?? 30_000,
  };
  const worker = spawnWorker(workerEntry(import.meta.url, 'paced-sender'), data, { name: 'paced-sender' });
  const out = await new Promise<PacedSenderOutput>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`paced sender exited with ${code}`)));
  });
  await worker.terminate();
  const answered: number[] = [];
  const sent: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  for (let i = 0; i < total; i++) {
    const status = out.status[i]!;
    if (status === 0) {
      errors++;
      continue;
    }
    if (status >= 200 && status < 300) ok++;
    else non2xx++;
    answered.push(out.fromSchedule[i]!);
    sent.push(out.fromSend[i]!);
  }
  // An unanswered request waited at least as long as the run's drain: it is the slowest of all.
  for (let i = 0; i < errors; i++) answered.push(Number.POSITIVE_INFINITY);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    scheduled: total,
    rate: input.rate,
    ok,
    non2xx,
    errors,
    p50: round(percentile(answered, 50)),
    p99: round(percentile(answered, 99)),
    p999: round(percentile(answered, 99.9)),
    max: round(percentile(answered, 100)),
    sendP99: round(percentile(sent, 99)),
    senderLagMaxMs: round(out.sendLagMaxMs),
    senderLoopP99Ms: round(out.senderLoopP99Ms),
  };
}
