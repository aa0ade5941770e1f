import { type ChartRequest, signChartToken } from '../../cards/charts/chart-token.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface ChartLinkOptions {
  secret: string;
  /** Absolute base of the bot's public URL (no trailing slash); read per link, as it is known late. */
  baseUrl(): string;
  /** Lifetime of a `/gpu` chart link; default 24 h. */
  commandTtlMs?: number;
  /** Lifetime of an alert card's chart link; cards stay in chat longer. Default 7 days. */
  alertTtlMs?: number;
}

export interface GpuChartLink {
  /** Which chart; the node chart when left out. */
  kind?: ChartRequest['kind'];
  node: string;
  gpu?: number;
  rangeMs: number;
  end: number;
  marker?: ChartRequest['marker'];
}

/** Builds signed, expiring chart URLs. Pure apart from reading the base URL: no I/O, no state. */
export interface ChartLinks {
  /** A link for `/gpu`, valid for the command TTL from `now`. */
  forCommand(link: GpuChartLink, now: number): string;
  /** A link for an incident card, valid for the alert TTL from `now`. */
  forAlert(link: GpuChartLink, now: number): string;
}

/**
 * Expiry is rounded up to the hour so re-rendering the same card within the hour yields the same
 * URL: the card does not change (nor get re-sent) just because time passed.
 */
function expiryFrom(now: number, ttlMs: number): number {
  return Math.ceil((now + ttlMs) / HOUR) * HOUR;
}

export function createChartLinks(opts: ChartLinkOptions): ChartLinks {
  const url = (link: GpuChartLink, expiresAt: number) => {
    const token = signChartToken({ v: 1, ...link, kind: link.kind ?? 'gpu-node', expiresAt }, opts.secret);
    return `${opts.baseUrl()}/charts/${token}.png`;
  };
  return {
    forCommand: (link, now) => url(link, expiryFrom(now, opts.commandTtlMs ?? 24 * HOUR)),
    forAlert: (link, now) => url(link, expiryFrom(now, opts.alertTtlMs ?? 7 * 24 * HOUR)),
  };
}
