/**
 * The bot's detectors on the local KQL engine: how long after a change each one notices it
 * (detection delay), how often they fire on a noisy but unchanged platform (false-positive rate on
 * simulated stable weeks), and how long one run takes.
 * Run: `npx tsx bench/detectors.ts [--weeks 3] [--every-hours 2]`.
 *
 * Each point in time is replayed with absolute `start`/`end` parameters on tables built once, so a
 * replayed run reads exactly what a live run at that instant would have read.
 */
import { ManualClock } from '../core/clock.ts';
import { abuseSpike } from '../handlers/detectors/abuse-spike.ts';
import type { Detector, DetectorContext } from '../handlers/detectors/detector.ts';
import { createDetectorContext } from '../handlers/detectors/detector-context.ts';
import { modelDrift } from '../handlers/detectors/model-drift.ts';
import { silentOutage } from '../handlers/detectors/silent-outage.ts';
import { stalePipeline } from '../handlers/detectors/stale-pipeline.ts';
import { createLocalLogsBackend } from '../queries/backends/local-logs.ts';
import type { LogsBackend } from '../queries/backends/logs-backend.ts';
import { KQL_CATALOG } from '../queries/catalog.ts';
import { costPolicySchema } from '../queries/cost/cost-policy.ts';
import {
  DAY,
  EPISODES,
  FINETUNE_EPISODE,
  finetuneDegradation,
  HOUR,
  INJECTION_EPISODE,
  MINUTE,
} from '../sim/telemetry/profile.ts';
import { SimulatedTelemetry } from '../sim/telemetry/telemetry.ts';

const argValue = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const WEEKS = argValue('weeks', 3);
const EVERY = argValue('every-hours', 2) * HOUR;
const DETECTORS = [silentOutage, modelDrift, stalePipeline, abuseSpike] as unknown as Detector[];
const START = Date.parse('2026-12-01T12:00:00Z');

/** A workspace whose tables hold `historyMs` before `until`, built once. */
function workspace(until: number, startMs: number, historyMs: number): LogsBackend {
  const clock = new ManualClock(until);
  const telemetry = new SimulatedTelemetry({ clock, startMs, historyMs });
  telemetry.refresh();
  return createLocalLogsBackend({ catalog: KQL_CATALOG, engine: telemetry.engine });
}

const times: Record<string, number[]> = {};

/** One run of a detector as if it were `at`: its queries bound to the range that ends then. */
async function runAt(logs: LogsBackend, d: Detector, at: number, explain = false): Promise<string[]> {
  const ctx: DetectorContext = {
    ...createDetectorContext({
      logs,
      metrics: undefined,
      cost: costPolicySchema.parse({}),
      logger: undefined,
      now: at,
    }),
    query: (id, params) => {
      const window = Number((params as { window?: number }).window ?? 15 * MINUTE);
      return logs.run(id, {
        ...params,
        start: new Date(at - window).toISOString(),
        end: new Date(at).toISOString(),
      });
    },
  };
  const started = performance.now();
  const { findings } = await d.evaluate(d.params.parse({}) as never, ctx);
  const spent = times[d.id] ?? [];
  spent.push(performance.now() - started);
  times[d.id] = spent;
  if (explain)
    for (const f of findings)
      console.log(
        `    at ${new Date(at).toISOString()}: ${f.summary}; ${f.details.map((x) => `${x.label}: ${x.value}`).join('; ')}`,
      );
  return findings.map((f) => f.subject);
}

async function firstFinding(
  logs: LogsBackend,
  d: Detector,
  subject: string,
  from: number,
  to: number,
  step: number,
) {
  for (let at = from; at <= to; at += step) if ((await runAt(logs, d, at)).includes(subject)) return at;
  return undefined;
}

const hours = (ms: number) => `${(ms / HOUR).toFixed(1)} h`;
const minutes = (ms: number) => `${Math.round(ms / MINUTE)} min`;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

console.log('Detection delay (the simulated story, replayed):');
{
  const built = performance.now();
  const story = workspace(START + DAY, START, 8 * DAY);
  console.log(`  story tables (8 days): ${Math.round(performance.now() - built)} ms`);
  const rollout = START + FINETUNE_EPISODE.changeAt;
  const drift = await firstFinding(story, modelDrift, 'gpt-4.1', rollout, START + DAY, 15 * MINUTE);
  console.log(
    drift === undefined
      ? '  model drift: not detected within the story'
      : `  model drift (gpt-4.1 fine-tune, run every 15 min): ${hours(drift - rollout)} after the rollout, when it had degraded ${Math.round(100 * finetuneDegradation(drift - START))} % of its full size`,
  );
  const outage = START + EPISODES.outageFrom;
  const down = await firstFinding(story, silentOutage, 'o3-mini', outage, outage + HOUR, MINUTE);
  console.log(
    `  silent outage (o3-mini, checked every minute): ${down === undefined ? 'not detected' : `${minutes(down - outage)} after the first failed request (window 15 min); a 5-min schedule adds up to 5 min`}`,
  );
  const stale = START + EPISODES.staleSince;
  const late = await firstFinding(
    story,
    stalePipeline,
    EPISODES.stalePipeline,
    stale - HOUR,
    START,
    5 * MINUTE,
  );
  console.log(
    `  stale pipeline (rag-index-tickets, checked every 5 min): ${late === undefined ? 'not detected' : `${minutes(late - stale)} after its runs began to fail (stale_after 2h from its last success, runs every 30 min)`}`,
  );
  const campaign = START + INJECTION_EPISODE.from;
  const spike = await firstFinding(
    story,
    abuseSpike,
    'agent-api POST /agent/run',
    campaign,
    campaign + HOUR,
    MINUTE,
  );
  console.log(
    `  jailbreak spike (agent-api, checked every minute): ${spike === undefined ? 'not detected' : `${minutes(spike - campaign)} after the campaign began`}`,
  );
}

console.log(`\nFalse positives on ${WEEKS} stable simulated weeks (every detector every ${hours(EVERY)}):`);
let runs = 0;
let flagged = 0;
const opened = new Set<string>();
for (let w = 0; w < WEEKS; w++) {
  // Each week has minutes of its own (the generator is seeded per minute) and no episode at all:
  // the scenario start lies two months after it.
  const weekEnd = START + 30 * DAY + w * 14 * DAY;
  const built = performance.now();
  const logs = workspace(weekEnd, weekEnd + 60 * DAY, 14 * DAY);
  const buildMs = performance.now() - built;
  let weekFlagged = 0;
  for (let at = weekEnd - 7 * DAY; at <= weekEnd; at += EVERY) {
    for (const d of DETECTORS) {
      const subjects = await runAt(logs, d, at, true);
      runs++;
      if (subjects.length > 0) {
        flagged++;
        weekFlagged++;
        for (const s of subjects) opened.add(`week ${w + 1} ${d.id}:${s}`);
      }
    }
  }
  console.log(`  week ${w + 1}: ${weekFlagged} runs found something (tables ${Math.round(buildMs)} ms)`);
}
console.log(
  `  total: ${flagged} of ${runs} runs found something: false-positive rate ${((100 * flagged) / runs).toFixed(2)} % of runs; subjects flagged: ${opened.size === 0 ? 'none' : [...opened].join(', ')}`,
);

console.log('\nRun times on the local engine (in-thread, 7–14 days of sampled rows):');
for (const [id, xs] of Object.entries(times))
  console.log(
    `  ${id}: median ${quantile(xs, 0.5).toFixed(0)} ms, p95 ${quantile(xs, 0.95).toFixed(0)} ms over ${xs.length} runs`,
  );
