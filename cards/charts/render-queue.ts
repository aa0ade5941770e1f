import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { ChartCache } from './chart-cache.ts';

/** Charts are busy: the request was not queued (or waited too long). Answered as 503 + Retry-After. */
export class ChartsBusyError extends AppError {
  readonly retryable = true;
  constructor(readonly retryAfterSeconds: number) {
    super('CHARTS_BUSY', `Charts are busy; try again in ${retryAfterSeconds} s.`);
  }
}

export interface RenderQueueOptions {
  /** Renders running at once. */
  concurrency: number;
  /** Renders waiting at most; beyond, a request is refused at once. */
  maxWaiting: number;
  /** A render that could not start within this is refused instead of started late. */
  maxWaitMs: number;
  /** Rendered PNGs by key. */
  cache: ChartCache;
  clock: Clock;
}

interface Waiter {
  enqueuedAt: number;
  start(): void;
  refuse(err: Error): void;
}

/**
 * Bounds chart rendering: a few renders at a time, a short line behind them, and a quick 503 for
 * everybody beyond, so a crowd fetching charts cannot starve intake and health. Fetches of one key
 * share one render (in flight) and then its cached PNG.
 */
export class RenderQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private readonly inFlight = new Map<string, Promise<Buffer>>();

  constructor(private readonly options: RenderQueueOptions) {
    if (!(options.concurrency >= 1) || !(options.maxWaiting >= 0))
      throw new AppError('RENDER_QUEUE_CONFIG', 'concurrency must be ≥ 1 and maxWaiting ≥ 0');
  }

  /** Renders waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * The PNG of `key`: from the cache, from a render of the same key already under way, or from
   * `work` once a slot is free; cached for `ttlMs`. Throws {@link ChartsBusyError} when full.
   */
  render(key: string, ttlMs: number, work: () => Promise<Buffer>): Promise<Buffer> {
    const cached = this.options.cache.get(key);
    if (cached) return Promise.resolve(cached);
    const running = this.inFlight.get(key);
    if (running) return running;
    const job = (async () => {
      await this.acquire();
      try {
        const png = await work();
        this.options.cache.set(key, png, ttlMs);
        return png;
      } finally {
        this.running -= 1;
        this.next();
      }
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, job);
    return job;
  }

  /** Takes a slot now, or a place in line, or refuses when the line is full. */
  private acquire(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxWaiting) return Promise.reject(this.busy());
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({
        enqueuedAt: this.options.clock.now(),
        start: () => {
          this.running += 1;
          resolve();
        },
        refuse: reject,
      });
    });
  }

  private next(): void {
    while (this.running < this.options.concurrency) {
      const w = this.waiting.shift();
      if (!w) return;
      if (this.options.clock.now() - w.enqueuedAt > this.options.maxWaitMs) w.refuse(this.busy());
      else w.start();
    }
  }

  private busy(): ChartsBusyError {
    return new ChartsBusyError(Math.max(1, Math.ceil(this.options.maxWaitMs / 1000)));
  }
}
