import {
  DEPLOYMENTS,
  type DeploymentProfile,
  diurnalFactor,
  EPISODES,
  FINETUNE_EPISODE,
  finetuneDegradation,
  INJECTION_EPISODE,
  inDailyPeak,
  LATENCY_EPISODE,
  MINUTE,
  OTHER_VERSIONS,
  QUALITY,
  QUOTA_EPISODE,
  ROLES,
  type RoleProfile,
  THROTTLE_EPISODE,
} from './profile.ts';
import { gaussian, seeded } from './seeded.ts';

const BUCKET_LIMITS: ReadonlyArray<[number, string]> = [
  [250, '<250ms'],
  [500, '250ms-500ms'],
  [1000, '500ms-1sec'],
  [3000, '1sec-3sec'],
  [7000, '3sec-7sec'],
  [15000, '7sec-15sec'],
  [30000, '15sec-30sec'],
];

function performanceBucket(ms: number): string {
  for (const [limit, name] of BUCKET_LIMITS) if (ms < limit) return name;
  return '>=30sec';
}

/** Column-wise rows of AppRequests (only the columns the simulator fills). */
export interface RequestColumns {
  TimeGenerated: number[];
  Id: string[];
  Name: string[];
  Url: string[];
  Success: boolean[];
  ResultCode: string[];
  DurationMs: number[];
  PerformanceBucket: string[];
  Properties: Record<string, unknown>[];
  Measurements: (Record<string, number> | null)[];
  OperationName: string[];
  OperationId: string[];
  AppRoleName: string[];
  AppRoleInstance: string[];
  ClientIP: string[];
  UserId: string[];
  SessionId: string[];
  ItemCount: number[];
  Type: string[];
}

/** Empty column buffers. */
export function emptyRequestColumns(): RequestColumns {
  return {
    TimeGenerated: [],
    Id: [],
    Name: [],
    Url: [],
    Success: [],
    ResultCode: [],
    DurationMs: [],
    PerformanceBucket: [],
    Properties: [],
    Measurements: [],
    OperationName: [],
    OperationId: [],
    AppRoleName: [],
    AppRoleInstance: [],
    ClientIP: [],
    UserId: [],
    SessionId: [],
    ItemCount: [],
    Type: [],
  };
}

/** Each role's share of the telemetry rows: its share of requests over the requests a row stands for. */
const ROW_WEIGHTS = ROLES.map((role) => role.weight / role.itemCount);
const ROWS_PER_REQUEST = ROW_WEIGHTS.reduce((a, b) => a + b, 0);

function pickRole(r: number): RoleProfile {
  let acc = 0;
  for (let i = 0; i < ROLES.length; i++) {
    acc += ROW_WEIGHTS[i]! / ROWS_PER_REQUEST;
    if (r < acc) return ROLES[i]!;
  }
  return ROLES[ROLES.length - 1]!;
}

function pickDeployment(role: RoleProfile, r: number): DeploymentProfile {
  let acc = 0;
  for (const [i, p] of role.calls) {
    acc += p;
    if (r < acc) return DEPLOYMENTS[i]!;
  }
  return DEPLOYMENTS[role.calls[role.calls.length - 1]![0]]!;
}

/**
 * Requests per minute at the daily mean. Rows are sampled per app role (each role's `itemCount`),
 * so the rows per minute are far fewer and their mix differs from the requests' mix.
 */
export interface SamplingOptions {
  requestsPerMinute: number;
}

/** ~1,000 requests/min, kept as ~21 sampled rows/min (ItemCount 10–100 per app role). */
export const DEFAULT_SAMPLING: SamplingOptions = { requestsPerMinute: 1000 };

/**
 * Appends the sampled requests of one minute (`minuteStart`, a multiple of a minute) to `out`.
 * Deterministic: a minute's rows depend only on its start and the scenario start.
 */
export function generateMinute(
  out: RequestColumns,
  minuteStart: number,
  startMs: number,
  sampling: SamplingOptions,
): void {
  const rand = seeded(Math.floor(minuteStart / MINUTE) ^ 0x5eed);
  // The quality fields draw from a stream of their own, so the rest of every row stays as it was.
  const judge = seeded(Math.floor(minuteStart / MINUTE) ^ 0x9a11);
  const rel = minuteStart - startMs;
  const rowsPerMinute = sampling.requestsPerMinute * ROWS_PER_REQUEST;
  const n = Math.round(rowsPerMinute * diurnalFactor(minuteStart) * (0.85 + 0.3 * rand()));
  const firstRow = out.TimeGenerated.length;
  for (let i = 0; i < n; i++) {
    const t = minuteStart + Math.floor(rand() * MINUTE);
    const tRel = t - startMs;
    const role = pickRole(rand());
    const dep = pickDeployment(role, rand());
    const versioned = dep.name === LATENCY_EPISODE.deployment;
    const newVersion = versioned && tRel >= LATENCY_EPISODE.changeAt;
    const degraded = dep.name === FINETUNE_EPISODE.deployment ? finetuneDegradation(tRel) : 0;
    const finetuned = dep.name === FINETUNE_EPISODE.deployment && tRel >= FINETUNE_EPISODE.changeAt;
    const version = versioned
      ? newVersion
        ? LATENCY_EPISODE.toVersion
        : LATENCY_EPISODE.fromVersion
      : finetuned
        ? FINETUNE_EPISODE.toVersion
        : OTHER_VERSIONS[dep.name]!;
    const cacheHit = dep.completion && (role.name === 'chat-api' || role.name === 'rag-api') && rand() < 0.2;
    let duration =
      dep.medianMs * Math.exp(0.45 * gaussian(rand)) * (newVersion ? LATENCY_EPISODE.latencyFactor : 1);
    let code = '200';
    const r = rand();
    const throttled =
      dep.name === THROTTLE_EPISODE.deployment &&
      tRel >= THROTTLE_EPISODE.from &&
      tRel < THROTTLE_EPISODE.until &&
      r < THROTTLE_EPISODE.share;
    const outage =
      dep.name === 'o3-mini' &&
      rel >= EPISODES.outageFrom &&
      rel < EPISODES.outageFrom + EPISODES.outageMinutes * MINUTE;
    const spike =
      role.name === 'batch-api' && tRel >= EPISODES.errorSpikeFrom && r < EPISODES.errorSpikeShare;
    if (throttled) code = '429';
    else if (outage) code = '503';
    else if (spike) code = rand() < 0.5 ? '500' : '503';
    else if (r < 0.004) code = '500';
    else if (r < 0.006) code = '503';
    else if (r < 0.008) code = '400';
    else if (
      dep.name === EPISODES.dailyPeak.deployment &&
      inDailyPeak(t) &&
      rand() < EPISODES.dailyPeak.share
    )
      code = '429';
    const ok = code === '200';
    if (!ok) duration = code === '429' ? 20 + 40 * rand() : 50 + 200 * rand();
    if (cacheHit && ok) duration = 15 + 30 * rand();
    const tokens = ok && !cacheHit ? Math.round(dep.medianTokens * Math.exp(0.5 * gaussian(rand))) : 0;
    const prompt = Math.round(tokens * dep.promptShare);
    const refusal =
      (ok && dep.completion && rand() < (newVersion ? 0.015 : 0.005)) ||
      (ok && dep.completion && judge() < FINETUNE_EPISODE.extraRefused * degraded);
    const quality =
      ok && dep.completion && !refusal && tokens > 0 ? judgeAnswer(judge, degraded, tokens - prompt) : {};
    const campaign =
      role.name === INJECTION_EPISODE.role &&
      tRel >= INJECTION_EPISODE.from &&
      tRel < INJECTION_EPISODE.from + INJECTION_EPISODE.minutes * MINUTE;
    const jailbreak =
      (role.name === 'chat-api' && rand() < 0.002) || (campaign && judge() < INJECTION_EPISODE.share);
    const user = Math.floor(rand() * 5000);
    const props: Record<string, unknown> = {
      deployment: dep.name,
      'model.version': version,
      team: role.team,
      'tokens.total': tokens,
      'tokens.prompt': prompt,
      'tokens.completion': tokens - prompt,
      'cache.hit': cacheHit,
      finish_reason: !ok ? '' : refusal ? 'content_filter' : dep.completion ? 'stop' : '',
      'content_filter.jailbreak': jailbreak,
      ...quality,
    };
    const id = `${Math.floor(t / MINUTE).toString(36)}-${i.toString(36)}`;
    out.TimeGenerated.push(t);
    out.Id.push(id);
    out.Name.push(role.operation);
    out.Url.push(`https://${role.name}.sim.local${role.url}`);
    out.Success.push(ok);
    out.ResultCode.push(code);
    out.DurationMs.push(Math.round(duration * 10) / 10);
    out.PerformanceBucket.push(performanceBucket(duration));
    out.Properties.push(props);
    out.Measurements.push(
      ok && dep.completion && !cacheHit ? { ttft_ms: Math.round(duration * (0.15 + 0.2 * rand())) } : null,
    );
    out.OperationName.push(role.operation);
    out.OperationId.push(`op-${id}`);
    out.AppRoleName.push(role.name);
    out.AppRoleInstance.push(`${role.name}-${Math.floor(rand() * 3)}`);
    out.ClientIP.push(`10.${user % 250}.${Math.floor(user / 250)}.0`);
    out.UserId.push(`user-${user}`);
    out.SessionId.push(`s-${user}-${Math.floor(t / 3_600_000)}`);
    out.ItemCount.push(role.itemCount);
    out.Type.push('AppRequests');
  }
  if (rel >= QUOTA_EPISODE.from && rel < QUOTA_EPISODE.until) topUpQuotaEpisode(out, minuteStart, firstRow);
}

/**
 * What the application logs about one answer's quality: the evaluator's groundedness score (1–5),
 * a user's rating when there is one, and the answer's length. `degraded` (0–1) is how far the
 * fine-tune story has gone; a stable model is at 0.
 */
function judgeAnswer(
  judge: () => number,
  degraded: number,
  completionTokens: number,
): Record<string, unknown> {
  const ungrounded = judge() < QUALITY.ungrounded + FINETUNE_EPISODE.extraUngrounded * degraded;
  const score = ungrounded ? 1 + Math.floor(judge() * 2) : 3 + Math.floor(judge() * 3);
  const rated = judge() < QUALITY.rated;
  const down = judge() < QUALITY.negative + FINETUNE_EPISODE.extraNegative * degraded;
  const factor = 1 - (1 - FINETUNE_EPISODE.lengthFactor) * degraded;
  const length = Math.max(
    1,
    Math.round(completionTokens * QUALITY.charsPerToken * factor * Math.exp(0.3 * gaussian(judge))),
  );
  return {
    'eval.groundedness': score,
    feedback: rated ? (down ? 'down' : 'up') : '',
    'response.length': length,
  };
}

/** rag-api's batch of long answers that pushes the quota episode's deployment to its used TPM. */
const QUOTA_ROLE = ROLES.find((r) => r.name === 'rag-api')!;
const QUOTA_TOKENS_PER_REQUEST = 4000;

/**
 * Adds the rows that bring the quota episode's deployment to exactly `QUOTA_EPISODE.usedTpm`
 * tokens in this minute (rows weighted by ItemCount, as the tpm-vs-quota query sums them), so the
 * evidence's peak equals what the scenario's quota alert reports.
 */
function topUpQuotaEpisode(out: RequestColumns, minuteStart: number, firstRow: number): void {
  let used = 0;
  for (let i = firstRow; i < out.TimeGenerated.length; i++) {
    const props = out.Properties[i]!;
    if (props.deployment === QUOTA_EPISODE.deployment)
      used += Number(props['tokens.total']) * out.ItemCount[i]!;
  }
  let deficit = QUOTA_EPISODE.usedTpm - used;
  const perRow = QUOTA_TOKENS_PER_REQUEST * QUOTA_ROLE.itemCount;
  let k = 0;
  const add = (tokens: number, itemCount: number) => {
    pushQuotaRow(out, minuteStart + 30_000 + k, k, tokens, itemCount);
    deficit -= tokens * itemCount;
    k++;
  };
  while (deficit >= perRow) add(QUOTA_TOKENS_PER_REQUEST, QUOTA_ROLE.itemCount);
  if (deficit >= QUOTA_ROLE.itemCount) add(Math.floor(deficit / QUOTA_ROLE.itemCount), QUOTA_ROLE.itemCount);
  // The last few tokens: one unsampled request, so the minute's total is exact.
  if (deficit > 0) add(deficit, 1);
}

function pushQuotaRow(out: RequestColumns, t: number, k: number, tokens: number, itemCount: number): void {
  const dep = DEPLOYMENTS.find((d) => d.name === QUOTA_EPISODE.deployment)!;
  const prompt = Math.round(tokens * dep.promptShare);
  const id = `${Math.floor(t / MINUTE).toString(36)}-q${k.toString(36)}`;
  const duration = 2 * dep.medianMs;
  out.TimeGenerated.push(t);
  out.Id.push(id);
  out.Name.push(QUOTA_ROLE.operation);
  out.Url.push(`https://${QUOTA_ROLE.name}.sim.local${QUOTA_ROLE.url}`);
  out.Success.push(true);
  out.ResultCode.push('200');
  out.DurationMs.push(duration);
  out.PerformanceBucket.push(performanceBucket(duration));
  out.Properties.push({
    deployment: dep.name,
    'model.version': OTHER_VERSIONS[dep.name]!,
    team: QUOTA_ROLE.team,
    'tokens.total': tokens,
    'tokens.prompt': prompt,
    'tokens.completion': tokens - prompt,
    'cache.hit': false,
    finish_reason: 'stop',
    'content_filter.jailbreak': false,
  });
  out.Measurements.push({ ttft_ms: Math.round(duration * 0.25) });
  out.OperationName.push(QUOTA_ROLE.operation);
  out.OperationId.push(`op-${id}`);
  out.AppRoleName.push(QUOTA_ROLE.name);
  out.AppRoleInstance.push(`${QUOTA_ROLE.name}-${k % 3}`);
  out.ClientIP.push('10.0.0.0');
  out.UserId.push('user-batch');
  out.SessionId.push(`s-batch-${Math.floor(t / 3_600_000)}`);
  out.ItemCount.push(itemCount);
  out.Type.push('AppRequests');
}
