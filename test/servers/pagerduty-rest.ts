import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An on-call entry as the server holds it: who holds which level of which policy, when. */
export interface OncallFixture {
  policy: { id: string; summary: string };
  level: number;
  schedule?: { id: string; summary: string } | null;
  user: { id: string; summary: string };
  /** ISO times; null for an always-on-call level (no schedule). */
  start: string | null;
  end: string | null;
}

export interface PagerDutyRestServer {
  url: string;
  /** Every request's path and query, in arrival order. */
  requests: { path: string; query: URLSearchParams; auth: string | undefined }[];
  close(): Promise<void>;
}

const reference = (type: string, r: { id: string; summary: string }) => ({
  id: r.id,
  type,
  summary: r.summary,
  self: `https://api.pagerduty.com/${type.replace('_reference', '')}s/${r.id}`,
  html_url: `https://example.pagerduty.com/${r.id}`,
});

/**
 * A local stand-in for PagerDuty's REST API v2 `GET /oncalls` on a loopback port: `Token token=`
 * auth (401 with PagerDuty's error body otherwise), `since`/`until` overlap filtering,
 * `escalation_policy_ids[]`, and `limit`/`offset` pagination with `more`, answering in the API's
 * shape (references with id, type, summary, self, html_url).
 */
export async function startPagerDutyRestServer(options: {
  token: string;
  oncalls: readonly OncallFixture[];
}): Promise<PagerDutyRestServer> {
  const requests: PagerDutyRestServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = req.headers.authorization;
    requests.push({ path: url.pathname, query: url.searchParams, auth });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (auth !== `Token token=${options.token}`)
      return send(401, { error: { message: 'Unauthorized', code: 2006 } });
    if (req.method !== 'GET' || url.pathname !== '/oncalls')
      return send(404, { error: { message: 'Not Found', code: 2100 } });
    const since = Date.parse(url.searchParams.get('since') ?? '');
    const until = Date.parse(url.searchParams.get('until') ?? '');
    if (Number.isNaN(since) || Number.isNaN(until) || since > until)
      return send(400, { error: { message: 'Invalid Input Provided', code: 2001, errors: ['since/until'] } });
    const policies = url.searchParams.getAll('escalation_policy_ids[]');
    const limit = Number(url.searchParams.get('limit') ?? 25);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const matching = options.oncalls.filter(
      (o) =>
        (policies.length === 0 || policies.includes(o.policy.id)) &&
        (o.start === null || Date.parse(o.start) < until) &&
        (o.end === null || Date.parse(o.end) > since),
    );
    const page = matching.slice(offset, offset + limit);
    send(200, {
      oncalls: page.map((o) => ({
        escalation_policy: reference('escalation_policy_reference', o.policy),
        escalation_level: o.level,
        schedule: o.schedule ? reference('schedule_reference', o.schedule) : null,
        user: reference('user_reference', o.user),
        start: o.start,
        end: o.end,
      })),
      limit,
      offset,
      more: offset + limit < matching.length,
      total: null,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
