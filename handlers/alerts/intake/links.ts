import { type AlertLink, alertLink } from '../../../core/alerts/alert.ts';
import { LIMITS } from './limits.ts';

/**
 * Keeps the candidate links that a card can safely show: absolute http(s) URLs only (an alert is
 * rendered in chat and in the console, so `javascript:` and friends are dropped), no empty strings
 * (Grafana sends `""` for deprecated fields), no duplicates. A bad link never rejects an alert.
 */
export function collectLinks(
  candidates: ReadonlyArray<readonly [AlertLink['kind'], string | null | undefined]>,
): AlertLink[] {
  const links: AlertLink[] = [];
  const seen = new Set<string>();
  for (const [kind, raw] of candidates) {
    const url = raw?.trim();
    if (!url || url.length > LIMITS.urlLength || !isHttpUrl(url)) continue;
    const key = `${kind} ${url}`;
    if (seen.has(key) || !alertLink.safeParse({ kind, url }).success) continue;
    seen.add(key);
    links.push({ kind, url });
  }
  return links;
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}
