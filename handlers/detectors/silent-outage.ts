import { z } from 'zod';
import { formatDuration } from '../../core/duration.ts';
import { timespan } from '../../queries/params.ts';
import { defineDetector, type Finding } from './detector.ts';
import { num, rowsOf, str } from './result-rows.ts';

const params = z.object({
  /** The window with no successful answer. */
  window: timespan({ min: '5m', max: '2h', default: '15m' }),
  /** Requests the deployment must have had in it: fewer and silence is not an outage. */
  minRequests: z.number().int().min(1).default(100),
});

/** The result codes of a `make_set` cell (an array, or its JSON text), as "503, 500". */
function resultCodes(cell: unknown): string {
  let value = cell;
  if (typeof cell === 'string' && cell.startsWith('[')) {
    try {
      value = JSON.parse(cell);
    } catch {
      value = cell;
    }
  }
  return Array.isArray(value) ? value.map(String).join(', ') : str(value);
}

/**
 * The operations guide's P1, found by the bot itself: a deployment that had traffic and answered
 * none of it successfully, whether or not anyone wrote that alert rule.
 */
export const silentOutage = defineDetector({
  id: 'silent-outage',
  title: 'Silent outage',
  description: 'Deployments that received requests and answered none of them successfully (zero-success).',
  queries: ['zero-success'],
  params,
  condition: 'A deployment had at least 100 requests in the last 15 minutes and not one succeeded.',
  kind: 'outage',
  tier: 'P1',
  everyMs: 5 * 60_000,
  evidence: 'zero-success for the deployment',
  async evaluate(p, ctx) {
    const run = await ctx.query('zero-success', { window: p.window });
    const findings: Finding[] = rowsOf(run)
      .filter((r) => num(r.Requests) >= p.minRequests)
      .map((r) => {
        const dep = str(r.Deployment);
        const codes = resultCodes(r.ResultCodes);
        return {
          subject: dep,
          summary: `Silent outage: ${dep} answered none of ${num(r.Requests)} requests in ${formatDuration(p.window)}`,
          description: `${dep} received ${num(r.Requests)} requests in the last ${formatDuration(p.window)} and not one succeeded (result codes ${codes || 'none'}). The bot found this itself; no alert rule was needed.`,
          resource: { deployment: dep, model: dep },
          values: { requests: num(r.Requests), successes: 0 },
          details: [
            { label: 'Requests without a success', value: String(num(r.Requests)) },
            { label: 'Last request', value: str(r.LastRequest) },
            { label: 'Result codes', value: codes.slice(0, 1024) },
          ],
        };
      });
    return { findings, queryText: run.text };
  },
});
