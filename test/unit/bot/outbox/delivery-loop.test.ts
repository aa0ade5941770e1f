import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../bot/logger.ts';
import { createMetrics } from '../../../../bot/metrics.ts';
import { DeliveryLoop } from '../../../../bot/outbox/delivery-loop.ts';
import { defaultPolicy } from '../../../../bot/policy.ts';
import { textReply } from '../../../../cards/templates/incident-replies.ts';
import { nextDelayMs } from '../../../../core/backoff.ts';
import type { ChatSurface } from '../../../../core/chat-surface.ts';
import { ManualClock } from '../../../../core/clock.ts';
import { DeliveryError } from '../../../../core/errors.ts';
import { summarizeMessage } from '../../../../core/message.ts';
import {
  CARD_UPDATE_COALESCE_MS,
  enqueueIncidentCard,
  enqueueIncidentReply,
} from '../../../../core/outbox/enqueue.ts';
import type { MessageRef } from '../../../../core/outbox/outbox-entry.ts';
import type { Store } from '../../../../core/store.ts';
import { createIncidentCardRenderer } from '../../../../handlers/alerts/incident-view.ts';
import { ingestAlerts } from '../../../../handlers/alerts/ingest.ts';
import { openSqliteStore } from '../../../../store/sqlite/sqlite-store.ts';
import { parsed } from '../../../helpers/alerts.ts';

/** A chat platform that records calls and fails on demand (outages, 429s with Retry-After). */
class RecordingSurface implements ChatSurface {
  readonly id = 'console' as const;
  calls: string[] = [];
  failures: Array<DeliveryError | Error> = [];
  private seq = 0;
  private next(): void {
    const f = this.failures.shift();
    if (f) throw f;
  }
  async post(channel: string, m: Parameters<ChatSurface['post']>[1]): Promise<MessageRef> {
    this.next();
    this.calls.push(`post ${summarizeMessage(m)}`);
    return { surface: 'console', channel, id: `m${++this.seq}`, extra: {} };
  }
  async update(ref: MessageRef, m: Parameters<ChatSurface['update']>[1]): Promise<void> {
    this.next();
    this.calls.push(`update ${ref.id} ${summarizeMessage(m)}`);
  }
  async reply(thread: MessageRef, m: Parameters<ChatSurface['reply']>[1]): Promise<MessageRef> {
    this.next();
    this.calls.push(`reply ${thread.id} ${summarizeMessage(m)}`);
    return { surface: 'console', channel: thread.channel, id: `m${++this.seq}`, extra: {} };
  }
}

describe('DeliveryLoop', () => {
  let store: Store;
  let clock: ManualClock;
  let surface: RecordingSurface;
  let loop: DeliveryLoop;
  const targets = [{ surface: 'console' as const, channel: 'oncall' }];
  const drain = async () => {
    while ((await loop.runOnce()) > 0) {
      // deliver until nothing is due
    }
  };

  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
    clock = new ManualClock();
    surface = new RecordingSurface();
    loop = new DeliveryLoop({
      store,
      surfaces: new Map([['console', surface]]),
      renderIncident: createIncidentCardRenderer(defaultPolicy()),
      clock,
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(() => store.outbox.pendingCount()),
      backoff: { baseMs: 1000, maxMs: 60_000, random: () => 0.5 },
    });
  });

  it('posts a new incident card once, then updates it in place', async () => {
    await ingestAlerts({ store, policy: defaultPolicy(), targets, clock }, [parsed()]);
    await drain();
    await ingestAlerts({ store, policy: defaultPolicy(), targets, clock }, [parsed({ status: 'resolved' })]);
    await drain();
    // The update waits out the coalescing window; the thread note queues behind it.
    expect(surface.calls).toHaveLength(1);
    clock.advance(CARD_UPDATE_COALESCE_MS);
    await drain();
    expect(surface.calls[0]).toMatch(/^post \[P2 FIRING\]/);
    expect(surface.calls[1]).toMatch(/^update m1 \[P2 RESOLVED\]/);
    expect(surface.calls[2]).toMatch(/^reply m1 INC-1 resolved/);
  });

  it('coalesces queued changes into one delivery showing the latest state', async () => {
    const deps = { store, policy: defaultPolicy(), targets, clock };
    await ingestAlerts(deps, [parsed()]);
    await ingestAlerts(deps, [parsed({ fingerprint: 'b' })]);
    await ingestAlerts(deps, [parsed({ fingerprint: 'c' })]);
    await drain();
    expect(surface.calls).toHaveLength(1);
  });

  it('lets the event loop in between the deliveries of one round (intake is never held up for a whole round)', async () => {
    const deps = { store, policy: defaultPolicy(), targets, clock };
    for (let i = 0; i < 5; i++) {
      const node = `node-${i}`;
      await ingestAlerts(deps, [
        parsed({
          fingerprint: `fp-${i}`,
          groupKey: `{}:{Hostname="${node}"}`,
          labels: { alertname: 'GpuTemperatureHigh', severity: 'warning', Hostname: node, gpu: '3' },
          resource: { node, gpu: '3' },
        }),
      ]);
    }
    // An immediate that queues itself again runs once per turn of the event loop: it counts turns.
    // Each card must go out in a turn of its own, so that the poll phase (intake requests, health
    // checks) comes between two cards, not only after the whole round.
    let turn = 0;
    let counting = true;
    const count = () => {
      turn++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const turns: number[] = [];
    const post = surface.post.bind(surface);
    surface.post = async (channel, m) => {
      turns.push(turn);
      return post(channel, m);
    };
    expect(await loop.runOnce()).toBe(5);
    counting = false;
    expect(turns).toHaveLength(5);
    expect(new Set(turns).size).toBe(5);
  });

  it('honours Retry-After and keeps per-incident order while retrying', async () => {
    await ingestAlerts({ store, policy: defaultPolicy(), targets, clock }, [parsed()]);
    await store.transaction((tx) => enqueueIncidentReply(tx, targets, 1, textReply('second'), clock.now()));
    surface.failures.push(new DeliveryError('RATE_LIMITED', 'HTTP 429', true, 30_000));
    expect(await loop.runOnce()).toBe(1);
    expect(surface.calls).toEqual([]);
    // The reply must not overtake the card that is waiting for its retry.
    clock.advance(29_000);
    expect(await loop.runOnce()).toBe(0);
    clock.advance(1_000);
    await drain();
    expect(surface.calls.map((c) => c.split(' ')[0])).toEqual(['post', 'reply']);
  });

  it('delivers the whole backlog in order after a 10-minute outage', async () => {
    const deps = { store, policy: defaultPolicy(), targets, clock };
    await ingestAlerts(deps, [parsed()]);
    for (let i = 0; i < 5; i++) {
      await store.transaction((tx) =>
        enqueueIncidentReply(tx, targets, 1, textReply(`note ${i}`), clock.now()),
      );
    }
    for (let minute = 0; minute < 10; minute++) {
      surface.failures.push(new DeliveryError('UNAVAILABLE', 'HTTP 503', true));
      await loop.runOnce();
      clock.advance(60_000);
    }
    surface.failures = [];
    clock.advance(60_000);
    await drain();
    expect(surface.calls.map((c) => c.replace(/^(\w+).*?(note \d|\[P2 FIRING\]).*$/, '$1 $2'))).toEqual([
      'post [P2 FIRING]',
      'reply note 0',
      'reply note 1',
      'reply note 2',
      'reply note 3',
      'reply note 4',
    ]);
    expect(await store.outbox.pendingCount()).toBe(0);
  });

  it('gives up on non-retryable failures and moves on to the next entry', async () => {
    await store.transaction((tx) =>
      enqueueIncidentReply(tx, targets, 99, textReply('to a deleted channel'), clock.now()),
    );
    await store.transaction((tx) => enqueueIncidentReply(tx, targets, 99, textReply('next'), clock.now()));
    surface.failures.push(new DeliveryError('CHANNEL_NOT_FOUND', 'channel_not_found', false));
    await drain();
    expect(surface.calls).toEqual(['post next']);
    expect(await store.outbox.pendingCount()).toBe(0);
  });

  it('does not announce a silenced incident, and posts it once the silence is lifted', async () => {
    const deps = { store, policy: defaultPolicy(), targets, clock };
    await ingestAlerts(deps, [parsed()]);
    const incident = (await store.incidents.get(1))!;
    await store.incidents.update({
      ...incident,
      silenceId: 1,
      silencedBy: 'a',
      silencedUntil: clock.now() + 1,
    });
    await drain();
    expect(surface.calls).toEqual([]);
    await store.incidents.update({ ...incident, silenceId: null });
    await store.transaction((tx) => enqueueIncidentCard(tx, targets, 1, clock.now()));
    await drain();
    expect(surface.calls[0]).toMatch(/^post/);
  });

  it('adopts a card the platform posted although the answer was lost, instead of posting it twice', async () => {
    const posted = new Map<string, MessageRef>();
    let loseNextAnswer = true;
    const forgetful: ChatSurface = {
      id: 'console',
      async post(channel, m, options) {
        const ref = await surface.post(channel, m);
        posted.set(options!.key!, ref);
        if (loseNextAnswer) {
          loseNextAnswer = false;
          throw new DeliveryError('CONNECTION_RESET', 'socket hang up', true);
        }
        return ref;
      },
      update: (ref, m) => surface.update(ref, m),
      reply: (thread, m) => surface.reply(thread, m),
      findPosted: async (_where, key) => posted.get(key),
    };
    loop = new DeliveryLoop({
      store,
      surfaces: new Map([['console', forgetful]]),
      renderIncident: createIncidentCardRenderer(defaultPolicy()),
      clock,
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(() => store.outbox.pendingCount()),
      backoff: { baseMs: 1000, maxMs: 60_000, random: () => 0.5 },
    });
    await ingestAlerts({ store, policy: defaultPolicy(), targets, clock }, [parsed()]);
    await drain();
    clock.advance(1_000);
    await drain();
    // One post; the retry found it by its key, recorded it and brought it up to date.
    expect(surface.calls.map((c) => c.split(' ')[0])).toEqual(['post', 'update']);
    expect(await store.chatMessages.getIncidentCard(1, 'console')).toEqual(posted.get('incident:1'));
    expect(await store.outbox.pendingCount()).toBe(0);
  });

  /** A chat platform whose posts hang until released; `entered` settles when the first began. */
  function stalledSurface() {
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let enter!: () => void;
    const entered = new Promise<void>((resolve) => (enter = resolve));
    const slow = new RecordingSurface();
    const post = slow.post.bind(slow);
    slow.post = async (channel, m) => {
      enter();
      await stalled;
      return post(channel, m);
    };
    return { surface: slow, release, entered };
  }

  /** Two workers on one outbox with a 1 s lease: one delivering to `slowSurface`, one to `surface`. */
  function twoWorkers(options: { slowSurface: ChatSurface; slowStore?: Store; renewEveryMs: number }) {
    const metrics = createMetrics(() => store.outbox.pendingCount());
    const deps = {
      clock,
      logger: createLogger({ level: 'silent' }),
      metrics,
      leaseMs: 1_000,
      renewEveryMs: options.renewEveryMs,
      renderIncident: createIncidentCardRenderer(defaultPolicy()),
    };
    return {
      metrics,
      slow: new DeliveryLoop({
        ...deps,
        store: options.slowStore ?? store,
        surfaces: new Map([['console', options.slowSurface]]),
      }),
      fast: new DeliveryLoop({ ...deps, store, surfaces: new Map([['console', surface]]) }),
    };
  }

  const leaseLost = (metrics: ReturnType<typeof createMetrics>) =>
    metrics.registry.getSingleMetricAsString('oncall_bot_delivery_lease_lost_total');

  it('lets a worker that outlived its lease record nothing over the claim that replaced it', async () => {
    const stalled = stalledSurface();
    // A worker whose renewals stall too (an event loop blocked, a partition from the database).
    const { slow, fast, metrics } = twoWorkers({ slowSurface: stalled.surface, renewEveryMs: 3_600_000 });
    await ingestAlerts({ store, policy: defaultPolicy(), targets, clock }, [parsed()]);
    const slowRound = slow.runOnce();
    await stalled.entered;
    clock.advance(1_000);
    // The lease ran out: the other worker delivers the card and records it.
    expect(await fast.runOnce()).toBe(1);
    expect(await store.outbox.pendingCount()).toBe(0);
    stalled.release();
    await slowRound;
    expect(await leaseLost(metrics)).toMatch(/surface="console"} 1$/m);
  });

  it('keeps the lease of a slow delivery renewed, so no other worker sends it again', async () => {
    const stalled = stalledSurface();
    let renewed!: () => void;
    const renewal = new Promise<void>((resolve) => (renewed = resolve));
    const renewingStore: Store = {
      ...store,
      outbox: {
        ...store.outbox,
        renew: async (claim, leaseUntil) => {
          const held = await store.outbox.renew(claim, leaseUntil);
          renewed();
          return held;
        },
      },
    };
    const { slow, fast, metrics } = twoWorkers({
      slowSurface: stalled.surface,
      slowStore: renewingStore,
      renewEveryMs: 5,
    });
    await ingestAlerts({ store, policy: defaultPolicy(), targets, clock }, [parsed()]);
    const slowRound = slow.runOnce();
    clock.advance(900);
    await renewal;
    // Past the first lease, but the renewal at 900 ms holds the entry until 1,900 ms.
    clock.advance(900);
    expect(await fast.runOnce()).toBe(0);
    stalled.release();
    await slowRound;
    expect(stalled.surface.calls).toHaveLength(1);
    expect(surface.calls).toEqual([]);
    expect(await store.outbox.pendingCount()).toBe(0);
    expect(await leaseLost(metrics)).not.toMatch(/surface="console"} [1-9]/m);
  });
});

describe('nextDelayMs', () => {
  const o = { baseMs: 1000, maxMs: 60_000, random: () => 0.5 };
  it('doubles per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 10].map((a) => nextDelayMs(a, undefined, o))).toEqual([
      1000, 2000, 4000, 8000, 60_000,
    ]);
  });
  it('waits what Retry-After says, however many attempts came before', () => {
    expect(nextDelayMs(1, 30_000, o)).toBe(30_000);
    expect(nextDelayMs(9, 2_000, o)).toBe(2_000);
  });
  it('jitters within ±20 %', () => {
    expect(nextDelayMs(3, undefined, { ...o, random: () => 0 })).toBe(3200);
    expect(nextDelayMs(3, undefined, { ...o, random: () => 0.999999 })).toBe(4800);
  });
});
