import { z } from 'zod';
import { UserFacingError } from '../../core/errors.ts';
import type { OncallLevel, OncallShift, OncallSource } from './oncall-source.ts';

export const DEFAULT_PAGERDUTY_API_URL = 'https://api.pagerduty.com';

const TIMEOUT_MS = 10_000;
/** How far ahead `/oncall` looks for who comes next. */
const LOOKAHEAD_MS = 14 * 86_400_000;
const PAGE = 100;
const MAX_PAGES = 10;

const reference = z.object({ id: z.string(), summary: z.string().optional() }).loose();

/** One entry of `GET /oncalls` (REST API v2), as far as the bot reads it. */
const oncallEntry = z
  .object({
    escalation_policy: reference,
    escalation_level: z.number().int().min(1),
    schedule: reference.nullable().optional(),
    user: reference,
    start: z.iso.datetime({ offset: true }).nullable().optional(),
    end: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .loose();
const oncallsPage = z
  .object({ oncalls: z.array(oncallEntry), more: z.boolean().optional().default(false) })
  .loose();
type OncallEntry = z.infer<typeof oncallEntry>;

export interface PagerDutyApi {
  /** The REST API's base URL; tests point it at a local server. */
  apiUrl: string;
  /** A REST API key (read-only is enough). Never logged, never shown. */
  token: string;
  /** Only these escalation policies (the ones that page for this bot's incidents), when given. */
  escalationPolicyIds?: readonly string[];
}

const unavailable = (why: string) =>
  new UserFacingError(
    'PAGERDUTY_ONCALL_UNAVAILABLE',
    `PagerDuty did not say who is on call (${why}); try again shortly.`,
  );

/** Reads every page of `GET /oncalls` between `since` and `until`. */
async function fetchOncalls(api: PagerDutyApi, since: number, until: number): Promise<OncallEntry[]> {
  const entries: OncallEntry[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL('oncalls', api.apiUrl.endsWith('/') ? api.apiUrl : `${api.apiUrl}/`);
    url.searchParams.set('since', new Date(since).toISOString());
    url.searchParams.set('until', new Date(until).toISOString());
    url.searchParams.set('time_zone', 'UTC');
    url.searchParams.set('limit', String(PAGE));
    url.searchParams.set('offset', String(page * PAGE));
    for (const id of api.escalationPolicyIds ?? []) url.searchParams.append('escalation_policy_ids[]', id);
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json', authorization: `Token token=${api.token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw unavailable('it did not answer');
    }
    if (res.status === 401 || res.status === 403)
      throw new UserFacingError(
        'PAGERDUTY_ONCALL_REFUSED',
        'PagerDuty refused the API token (PAGERDUTY_API_TOKEN); ask an admin to check it.',
      );
    if (!res.ok) throw unavailable(`HTTP ${res.status}`);
    const parsed = oncallsPage.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw unavailable('its answer was not the on-call list');
    entries.push(...parsed.data.oncalls);
    if (!parsed.data.more) break;
  }
  return entries;
}

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
const shiftOf = (e: OncallEntry): OncallShift => ({
  who: e.user.summary ?? e.user.id,
  since: time(e.start),
  until: time(e.end),
});

/**
 * PagerDuty as the on-call source: per escalation policy and level, the entry covering now and
 * the one after it, from `GET /oncalls` over the next two weeks.
 */
export function createPagerDutyOncallSource(api: PagerDutyApi): OncallSource {
  return {
    origin: 'pagerduty',
    async levels(now): Promise<OncallLevel[]> {
      const entries = await fetchOncalls(api, now, now + LOOKAHEAD_MS);
      const groups = new Map<string, OncallEntry[]>();
      for (const e of entries) {
        const key = `${e.escalation_policy.id}\u0000${e.escalation_level}`;
        groups.set(key, [...(groups.get(key) ?? []), e]);
      }
      const levels: OncallLevel[] = [];
      for (const group of groups.values()) {
        const sorted = group
          .map((e) => ({ e, s: shiftOf(e) }))
          .sort((a, b) => (a.s.since ?? 0) - (b.s.since ?? 0));
        const current = sorted.find(({ s }) => (s.since ?? -Infinity) <= now && now < (s.until ?? Infinity));
        const next = sorted.find(({ s }) => s.since !== null && s.since > now && s.who !== current?.s.who);
        const first = group[0]!;
        const where =
          first.schedule?.summary ?? first.escalation_policy.summary ?? first.escalation_policy.id;
        levels.push({ level: first.escalation_level, name: where, now: current?.s, next: next?.s });
      }
      return levels.sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
    },
  };
}
