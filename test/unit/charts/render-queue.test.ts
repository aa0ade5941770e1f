import { describe, expect, it } from 'vitest';
import { ChartCache } from '../../../cards/charts/chart-cache.ts';
import { ChartsBusyError, RenderQueue } from '../../../cards/charts/render-queue.ts';
import { ManualClock } from '../../../core/clock.ts';

/** A render the test finishes by hand. */
function gate() {
  let open!: (png: Buffer) => void;
  const done = new Promise<Buffer>((resolve) => {
    open = resolve;
  });
  return { done, open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function queue(clock: ManualClock, concurrency = 1, maxWaiting = 1, maxWaitMs = 5_000) {
  return new RenderQueue({ concurrency, maxWaiting, maxWaitMs, cache: new ChartCache(clock), clock });
}

describe('RenderQueue', () => {
  it('renders one key once for 50 concurrent fetches, then serves it from the cache', async () => {
    const clock = new ManualClock(0);
    const q = queue(clock);
    let renders = 0;
    const g = gate();
    const work = () => {
      renders += 1;
      return g.done;
    };
    const fetches = Array.from({ length: 50 }, () => q.render('chart-a', 30_000, work));
    g.open(Buffer.from('png-a'));
    const pngs = await Promise.all(fetches);
    expect(pngs.every((p) => p.toString() === 'png-a')).toBe(true);
    expect(await q.render('chart-a', 30_000, work)).toEqual(Buffer.from('png-a'));
    expect(renders).toBe(1);
    clock.advance(30_000);
    await q.render('chart-a', 30_000, async () => Buffer.from('png-a2'));
    expect(renders).toBe(1);
  });

  it('runs at most `concurrency` renders, queues `maxWaiting`, and refuses the rest at once', async () => {
    const clock = new ManualClock(0);
    const q = queue(clock, 1, 1);
    const first = gate();
    const started: string[] = [];
    const a = q.render('a', 1_000, () => {
      started.push('a');
      return first.done;
    });
    const b = q.render('b', 1_000, async () => {
      started.push('b');
      return Buffer.from('b');
    });
    const c = q.render('c', 1_000, async () => Buffer.from('c'));
    await expect(c).rejects.toBeInstanceOf(ChartsBusyError);
    await expect(c).rejects.toMatchObject({ retryable: true, retryAfterSeconds: 5, code: 'CHARTS_BUSY' });
    await settle();
    expect(started).toEqual(['a']);
    expect(q.queued).toBe(1);
    first.open(Buffer.from('a'));
    expect((await a).toString()).toBe('a');
    expect((await b).toString()).toBe('b');
    expect(started).toEqual(['a', 'b']);
  });

  it('refuses a queued render that could not start within maxWaitMs', async () => {
    const clock = new ManualClock(0);
    const q = queue(clock, 1, 4, 2_000);
    const first = gate();
    const a = q.render('a', 1_000, () => first.done);
    let ranLate = false;
    const b = q.render('b', 1_000, async () => {
      ranLate = true;
      return Buffer.from('b');
    });
    clock.advance(2_001);
    first.open(Buffer.from('a'));
    await a;
    await expect(b).rejects.toBeInstanceOf(ChartsBusyError);
    expect(ranLate).toBe(false);
  });

  it('gives the slot back when a render fails, and does not cache the failure', async () => {
    const clock = new ManualClock(0);
    const q = queue(clock, 1, 0);
    await expect(q.render('a', 1_000, async () => Promise.reject(new Error('backend down')))).rejects.toThrow(
      'backend down',
    );
    expect((await q.render('a', 1_000, async () => Buffer.from('ok'))).toString()).toBe('ok');
  });
});

describe('ChartCache', () => {
  it('keeps at most maxBytes of PNG, dropping the oldest first', () => {
    const cache = new ChartCache(new ManualClock(0), { maxBytes: 10 });
    cache.set('a', Buffer.alloc(4));
    cache.set('b', Buffer.alloc(4));
    cache.set('c', Buffer.alloc(4));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
    expect(cache.size).toEqual({ entries: 2, bytes: 8 });
  });
});
