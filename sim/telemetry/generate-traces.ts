import { EPISODES, FINETUNE_EPISODE, LATENCY_EPISODE, MINUTE } from './profile.ts';

/** Data pipelines that log one AppTraces row per run (a RAG index that stops updating is a silent failure). */
export const PIPELINES: ReadonlyArray<{ name: string; everyMinutes: number; role: string }> = [
  { name: 'rag-index-docs', everyMinutes: 15, role: 'indexer' },
  { name: 'rag-index-tickets', everyMinutes: 30, role: 'indexer' },
  { name: 'embeddings-refresh', everyMinutes: 60, role: 'batch-api' },
];

/** Column-wise AppTraces rows. */
export interface TraceColumns {
  TimeGenerated: number[];
  Message: string[];
  SeverityLevel: number[];
  Properties: Record<string, unknown>[];
  AppRoleName: string[];
  OperationName: string[];
  ItemCount: number[];
  Type: string[];
}

/** Empty column buffers. */
export function emptyTraceColumns(): TraceColumns {
  return {
    TimeGenerated: [],
    Message: [],
    SeverityLevel: [],
    Properties: [],
    AppRoleName: [],
    OperationName: [],
    ItemCount: [],
    Type: [],
  };
}

/**
 * The model rollouts the deployment pipeline logs (structured AppTraces with the deployment and
 * both versions), at the instants the telemetry switches versions: gpt-4o's slower version and
 * gpt-4.1's fine-tune. A latency change lines up with the event that caused it.
 */
export const ROLLOUTS: ReadonlyArray<{ deployment: string; from: string; to: string; at: number }> = [
  {
    deployment: LATENCY_EPISODE.deployment,
    from: LATENCY_EPISODE.fromVersion,
    to: LATENCY_EPISODE.toVersion,
    at: LATENCY_EPISODE.changeAt,
  },
  {
    deployment: FINETUNE_EPISODE.deployment,
    from: FINETUNE_EPISODE.fromVersion,
    to: FINETUNE_EPISODE.toVersion,
    at: FINETUNE_EPISODE.changeAt,
  },
];

/** Appends the pipeline runs that start within one minute; the stale pipeline's runs fail after it stalls. */
export function generateTraceMinute(out: TraceColumns, minuteStart: number, startMs: number): void {
  for (const r of ROLLOUTS) {
    const at = startMs + r.at;
    if (at < minuteStart || at >= minuteStart + MINUTE) continue;
    out.TimeGenerated.push(at);
    out.Message.push(`Deployment ${r.deployment} now serves model version ${r.to} (was ${r.from})`);
    out.SeverityLevel.push(1);
    out.Properties.push({
      event: 'model-rollout',
      deployment: r.deployment,
      'model.version': r.to,
      'previous.version': r.from,
    });
    out.AppRoleName.push('model-deployer');
    out.OperationName.push(`rollout ${r.deployment}`);
    out.ItemCount.push(1);
    out.Type.push('AppTraces');
  }
  const minuteIndex = Math.floor(minuteStart / MINUTE);
  for (const p of PIPELINES) {
    if (minuteIndex % p.everyMinutes !== 0) continue;
    const failed = p.name === EPISODES.stalePipeline && minuteStart - startMs >= EPISODES.staleSince;
    const docs = (minuteIndex * 7919) % 400;
    out.TimeGenerated.push(minuteStart + 12_000);
    out.Message.push(
      failed ? `Pipeline ${p.name} run failed: source timeout` : `Pipeline ${p.name} run succeeded`,
    );
    out.SeverityLevel.push(failed ? 3 : 1);
    out.Properties.push({
      pipeline: p.name,
      status: failed ? 'failed' : 'succeeded',
      documents: failed ? 0 : docs,
    });
    out.AppRoleName.push(p.role);
    out.OperationName.push(`pipeline ${p.name}`);
    out.ItemCount.push(1);
    out.Type.push('AppTraces');
  }
}
