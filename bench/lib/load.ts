import autocannon from 'autocannon';

export interface LoadResult {
  rate: number;
  p50: number;
  p99: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/**
 * Drives a URL with autocannon (in this process, the server in another): POST bodies built per
 * request, at a fixed overall rate or as fast as the connections allow.
 */
export async function runLoad(input: {
  url: string;
  headers: Record<string, string>;
  body: (i: number) => string;
  seconds: number;
  connections: number;
  rate?: number;
}): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: input.url,
    method: 'POST',
    connections: input.connections,
    duration: input.seconds,
    ...(input.rate ? { overallRate: input.rate } : {}),
    headers: { 'content-type': 'application/json', ...input.headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: input.body(i++) }) }],
  });
  return {
    rate: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    sent: result.requests.sent,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
