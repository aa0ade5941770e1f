/**
 * Worker-thread side of {@link runPacedLoad} (load.ts): sends request n at `start + n / rate`
 * whether or not earlier ones were answered (an open loop, as alert senders behave), and times
 * each from that scheduled moment. Running in its own thread keeps the benchmark's other work (a
 * crowd of simulated users fetching charts) from delaying sends and inflating the figures.
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

/** What the parent hands over; the bodies are built there, one per scheduled send. */
export interface PacedSenderInput {
  [key: string]: unknown;
  url: string;
  headers: Record<string, string>;
  bodies: string[];
  rate: number;
  /** Concurrent connections at most; a stalled server makes requests wait for one (and that counts). */
  maxSockets: number;
  /** How long after the last scheduled send answers are still awaited. */
  drainMs: number;
}

/** Per request, in schedule order: status (0 = error or no answer in time) and times in ms. */
export interface PacedSenderOutput {
  status: Int16Array;
  /** From the scheduled send to the end of the answer. */
  fromSchedule: Float64Array;
  /** From when the request actually left to the end of the answer (what a closed loop measures). */
  fromSend: Float64Array;
  /** How late the sender itself sent, worst case (its own event loop), ms. */
  sendLagMaxMs: number;
  /** The sender thread's event-loop delay p99, ms: a busy sender would inflate the figures. */
  senderLoopP99Ms: number;
  elapsedMs: number;
}

function run(input: PacedSenderInput): Promise<PacedSenderOutput> {
  const total = input.bodies.length;
  const out: PacedSenderOutput = {
    status: new Int16Array(total),
    fromSchedule: new Float64Array(total).fill(Number.NaN),
    fromSend: new Float64Array(total).fill(Number.NaN),
    sendLagMaxMs: 0,
    senderLoopP99Ms: 0,
    elapsedMs: 0,
  };
  const agent = new Agent({ keepAlive: true, maxSockets: input.maxSockets });
  const url = new URL(input.url);
  const interval = 1000 / input.rate;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const start = performance.now() + 20;
  let next = 0;
  let answered = 0;

  return new Promise((resolve) => {
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(drainTimer);
      loop.disable();
      out.senderLoopP99Ms = loop.percentile(99) / 1e6;
      out.elapsedMs = performance.now() - start;
      agent.destroy();
      resolve(out);
    };
    const settle = () => {
      if (++answered === total) finish();
    };
    const send = (n: number, scheduled: number) => {
      const sentAt = performance.now();
      out.sendLagMaxMs = Math.max(out.sendLagMaxMs, sentAt - scheduled);
      const body = input.bodies[n]!;
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            ...input.headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const end = performance.now();
            out.status[n] = res.statusCode ?? 0;
            out.fromSchedule[n] = end - scheduled;
            out.fromSend[n] = end - sentAt;
            settle();
          });
        },
      );
      req.on('error', settle);
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      // Catch up on every send that is due: a late timer never thins the schedule out.
      while (next < total && start + next * interval <= now) {
        send(next, start + next * interval);
        next++;
      }
      if (next < total) {
        setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
        return;
      }
      drainTimer = setTimeout(finish, input.drainMs);
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
}

if (parentPort) {
  const port = parentPort;
  void run(workerData as PacedSenderInput).then((out) =>
    port.postMessage(
      out,
      [out.status, out.fromSchedule, out.fromSend].map((a) => a.buffer as ArrayBuffer),
    ),
  );
}
