import { formatNumber } from './result-format.ts';

/** An amount with its currency, to the cent: `1,234.56 USD`. */
export function money(amount: number, currency: string): string {
  return `${formatNumber(amount, 2)} ${currency}`;
}

/** A count of tokens, shortened past a million: `812,400 tokens`, `14.2 M tokens`. */
export function tokenCount(n: number): string {
  if (Math.abs(n) >= 1e9) return `${formatNumber(n / 1e9, 2)} G tokens`;
  if (Math.abs(n) >= 1e6) return `${formatNumber(n / 1e6, 1)} M tokens`;
  return `${formatNumber(n, 0)} tokens`;
}

/** GPU-hours to a tenth: `31.5 GPU-h`. */
export function gpuHoursText(h: number): string {
  return `${formatNumber(h, 1)} GPU-h`;
}

/** A share in percent to one decimal: `82.4 %`. */
export function share(part: number, whole: number): string {
  return whole > 0 ? `${formatNumber((100 * part) / whole, 1)} %` : '–';
}
