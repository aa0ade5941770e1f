import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';

interface Entry {
  png: Buffer;
  expiresAt: number;
}

export interface ChartCacheOptions {
  /** Lifetime of an entry unless `set` says otherwise; default 24 h. */
  ttlMs?: number;
  /** Entries kept at most; oldest first out. Default 200. */
  maxEntries?: number;
  /** Bytes of PNG kept at most; oldest first out. Default 32 MiB. */
  maxBytes?: number;
}

/**
 * Rendered chart PNGs in memory, bounded by count and bytes, each for a while. Query charts are
 * stored under unguessable ids (128 random bits): a query result is a snapshot, rendered once when
 * the query runs. GPU charts are stored under their verified chart request, so the many fetches
 * of one card's link (every viewer, every client retry) render it once. Per replica.
 */
export class ChartCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(
    private readonly clock: Clock,
    options: ChartCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 24 * 3_600_000;
    this.maxEntries = options.maxEntries ?? 200;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  }

  /** Stores a PNG under a new random id and returns the id. */
  put(png: Buffer): string {
    const id = randomBytes(16).toString('hex');
    this.set(id, png);
    return id;
  }

  /** Stores a PNG under `key`, replacing what was there. */
  set(key: string, png: Buffer, ttlMs = this.ttlMs): void {
    this.delete(key);
    this.entries.set(key, { png, expiresAt: this.clock.now() + ttlMs });
    this.bytes += png.length;
    while (this.entries.size > this.maxEntries || (this.bytes > this.maxBytes && this.entries.size > 1))
      this.delete(this.entries.keys().next().value!);
  }

  /** The PNG under a key, unless unknown or expired. */
  get(key: string): Buffer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock.now()) {
      this.delete(key);
      return undefined;
    }
    return e.png;
  }

  /** Entries and bytes held, for metrics and tests. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.bytes -= e.png.length;
    this.entries.delete(key);
  }
}
