import { randomBytes } from 'node:crypto';
import type { Clock } from '../../bot/clock.ts';

interface Entry {
  png: Buffer;
  expiresAt: number;
}

/**
 * Rendered query charts, kept in memory under unguessable ids (128 random bits) for a while: a
 * query result is a snapshot, so its chart is rendered once, when the query runs, not re-run on
 * fetch. Oldest entries go first beyond `maxEntries`. Per replica: a link served by another
 * replica answers 404 (the card's table still holds the data).
 */
export class ChartCache {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 24 * 3_600_000,
    private readonly maxEntries = 200,
  ) {}

  /** Stores a PNG and returns its id. */
  put(png: Buffer): string {
    const id = randomBytes(16).toString('hex');
    this.entries.set(id, { png, expiresAt: this.clock.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return id;
  }

  /** The PNG of an id, unless unknown or expired. */
  get(id: string): Buffer | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return e.png;
  }
}
