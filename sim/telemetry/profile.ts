/**
 * The simulated AI platform's request traffic: deployments, app roles, and the episodes the local
 * alert scenario tells (gpt-4o throttled in the last minutes, a latency regression since gpt-4o
 * moved to model version 2024-11-20). Times are relative to the scenario start (`startMs`).
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface DeploymentProfile {
  name: string;
  /** Median latency in ms (log-normal). */
  medianMs: number;
  /** Median total tokens per request. */
  medianTokens: number;
  /** Share of the total that is the prompt. */
  promptShare: number;
  completion: boolean;
}

export const DEPLOYMENTS: readonly DeploymentProfile[] = [
  { name: 'gpt-4o', medianMs: 900, medianTokens: 1200, promptShare: 0.7, completion: true },
  { name: 'gpt-4o-mini', medianMs: 400, medianTokens: 700, promptShare: 0.75, completion: true },
  { name: 'text-embedding-3-large', medianMs: 60, medianTokens: 300, promptShare: 1, completion: false },
  { name: 'o3-mini', medianMs: 3000, medianTokens: 2500, promptShare: 0.4, completion: true },
  { name: 'gpt-4.1', medianMs: 1200, medianTokens: 1500, promptShare: 0.7, completion: true },
];

export interface RoleProfile {
  name: string;
  team: string;
  weight: number;
  /** Deployment indexes with their probabilities (summing to 1). */
  calls: ReadonlyArray<[number, number]>;
  operation: string;
  url: string;
  /**
   * Requests each telemetry row of this role stands for (Application Insights fixed-rate
   * sampling at 100 / itemCount percent, set per service): busy roles keep fewer rows.
   */
  itemCount: number;
}

export const ROLES: readonly RoleProfile[] = [
  {
    name: 'chat-api',
    itemCount: 100,
    team: 'support',
    weight: 0.4,
    calls: [
      [0, 0.7],
      [1, 0.3],
    ],
    operation: 'POST /chat',
    url: '/v1/chat',
  },
  {
    name: 'rag-api',
    itemCount: 50,
    team: 'search',
    weight: 0.25,
    calls: [
      [1, 0.6],
      [4, 0.4],
    ],
    operation: 'POST /answer',
    url: '/v1/answer',
  },
  {
    name: 'embed-api',
    itemCount: 100,
    team: 'search',
    weight: 0.2,
    calls: [[2, 1]],
    operation: 'POST /embed',
    url: '/v1/embed',
  },
  {
    name: 'agent-api',
    itemCount: 20,
    team: 'agents',
    weight: 0.1,
    calls: [
      [3, 0.5],
      [0, 0.5],
    ],
    operation: 'POST /agent/run',
    url: '/v1/agent/run',
  },
  {
    name: 'batch-api',
    itemCount: 10,
    team: 'analytics',
    weight: 0.05,
    calls: [[4, 1]],
    operation: 'POST /batch/item',
    url: '/v1/batch',
  },
];

/** gpt-4o's model versions: the rollout of 2024-11-20 two hours before the scenario slowed it down. */
export const GPT4O_OLD_VERSION = '2024-08-06';
export const GPT4O_NEW_VERSION = '2024-11-20';
export const OTHER_VERSIONS: Record<string, string> = {
  'gpt-4o-mini': '2024-07-18',
  'text-embedding-3-large': '1',
  'o3-mini': '2025-01-31',
  'gpt-4.1': '2025-04-14',
};

/** The episodes of the story, as offsets from the scenario start. */
export const EPISODES = {
  /** batch-api's 5xx rate jumps to 8% in the last 40 minutes (the error-spike evidence). */
  errorSpikeFrom: -40 * MINUTE,
  errorSpikeShare: 0.08,
  /** o3-mini answered nothing successfully for 25 minutes two days earlier (a past outage). */
  outageFrom: -2 * DAY - 3 * HOUR,
  outageMinutes: 25,
  /** The tickets RAG index stopped updating nine hours before the scenario. */
  stalePipeline: 'rag-index-tickets',
  staleSince: -9 * HOUR,
  /** Every day at the afternoon peak gpt-4o-mini is throttled for 20 minutes (a recurring 429 episode). */
  dailyPeak: { deployment: 'gpt-4o-mini', fromHour: 14, minutes: 20, share: 0.1 },
};

/**
 * The latency regression: gpt-4o moved to model version 2024-11-20 two hours before the scenario
 * and got ~2.4× slower (refusals tripled). One definition for the telemetry (the durations it
 * generates) and the scenario's latency alert (its version, percentile and SLO, and its value:
 * the new version's percentile over those rows), so the alert reads what the vetted
 * model-version-comparison evidence finds: its P95 and its 2 s latency threshold.
 */
export const LATENCY_EPISODE = {
  deployment: 'gpt-4o',
  fromVersion: GPT4O_OLD_VERSION,
  toVersion: GPT4O_NEW_VERSION,
  changeAt: -2 * HOUR,
  latencyFactor: 2.4,
  /** The alert rule's percentile of DurationMs, per model version. */
  percentile: 95,
  sloMs: 2000,
} as const;

/**
 * The operations guide's silent failure: gpt-4.1 moved to a fine-tuned model version three days
 * before the scenario, and its answers got worse a little more every day (more refusals, more
 * answers an evaluator scores ungrounded, more thumbs down, shorter answers) while its latency,
 * errors and tokens stayed as they were, so no alert rule fires. The drift detector (and `/ask`
 * "did answers get worse since the new version?") finds it in the quality fields the application
 * logs: `eval.groundedness`, `feedback`, `response.length`, `finish_reason`.
 */
export const FINETUNE_EPISODE = {
  deployment: 'gpt-4.1',
  fromVersion: '2025-04-14',
  toVersion: '2025-04-14-ft-support-v2',
  changeAt: -3 * DAY,
  /** The degradation grows linearly from nothing at the rollout to its full size after this. */
  rampMs: 4 * DAY,
  /** Full-size degradation, added to the stable shares below (percentage points as fractions). */
  extraRefused: 0.015,
  extraUngrounded: 0.09,
  extraNegative: 0.12,
  /** Full-size factor on answer length. */
  lengthFactor: 0.6,
} as const;

/**
 * A prompt-injection campaign a day before the scenario: for 40 minutes the content filter flags
 * 8 % of agent-api's requests as jailbreak attempts (its usual share is none). The abuse detector
 * finds it by app role and operation; who sent them stays in the private query.
 */
export const INJECTION_EPISODE = {
  role: 'agent-api',
  from: -1 * DAY - 5 * HOUR,
  minutes: 40,
  share: 0.08,
} as const;

/** The answer quality of a stable model, as the application logs it (see generate-requests.ts). */
export const QUALITY = {
  /** Share of answers the evaluator scores 1 or 2 of 5 for groundedness. */
  ungrounded: 0.05,
  /** Share of answers a user rates (thumbs up or down). */
  rated: 0.1,
  /** Share of rated answers rated down. */
  negative: 0.12,
  /** Characters per completion token. */
  charsPerToken: 4,
} as const;

/** How far gpt-4.1's fine-tune has degraded at `tRel` after the scenario start: 0 before it, up to 1. */
export function finetuneDegradation(tRel: number): number {
  const since = tRel - FINETUNE_EPISODE.changeAt;
  if (since < 0) return 0;
  return Math.min(1, since / FINETUNE_EPISODE.rampMs);
}

/**
 * The throttling episode: gpt-4o answers HTTP 429 to ~30 % of its requests from 15 minutes before
 * the scenario until its "throttling resolved" step. The telemetry draws its 429s from it; the
 * scenario's Azure Monitor metric alert counts them over its window (AzureOpenAIRequests with
 * StatusCode 429, Total over 10 minutes), so the alert's value is what the vetted throttle-rate
 * evidence counts over the same window.
 */
export const THROTTLE_EPISODE = {
  deployment: 'gpt-4o',
  from: -15 * MINUTE,
  until: 20_000,
  share: 0.3,
  windowMs: 10 * MINUTE,
  /** The alert rule's threshold: throttled requests in the window. */
  thresholdRequests: 100,
} as const;

/**
 * The quota-pressure episode: one definition that both the telemetry (the tokens it generates) and
 * the scenario's TPM-quota alert (its value, threshold and query) derive from, so the alert's
 * value and the vetted tpm-vs-quota evidence tell the same story. `quotaTpm` is the reviewed quota
 * of the deployment, the one queries/kql/tpm-vs-quota.kql joins on.
 */
export const QUOTA_EPISODE = {
  deployment: 'gpt-4o-mini',
  quotaTpm: 1_000_000,
  /** Tokens per minute the deployment uses in each minute of the episode (86 % of its quota). */
  usedTpm: 860_000,
  from: -12 * MINUTE,
  until: 10 * MINUTE,
  /** The alert rule's threshold, in percent of the quota. */
  thresholdPct: 80,
} as const;

/** The episode's share of the quota, in percent, as the alert rule computes it. */
export function quotaUsedPct(): number {
  return (100 * QUOTA_EPISODE.usedTpm) / QUOTA_EPISODE.quotaTpm;
}

/** Whether an instant falls in the daily peak-throttling window (UTC). */
export function inDailyPeak(t: number): boolean {
  const minuteOfDay = (t % DAY) / MINUTE;
  const from = EPISODES.dailyPeak.fromHour * 60;
  return minuteOfDay >= from && minuteOfDay < from + EPISODES.dailyPeak.minutes;
}

/** Requests per minute swing over the day (peak mid-afternoon UTC), between ~0.5× and ~1.5×. */
export function diurnalFactor(t: number): number {
  const hour = (t % DAY) / HOUR;
  return 1 + 0.5 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
}
