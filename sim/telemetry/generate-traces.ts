import { EPISODES, MINUTE } from './profile.ts';

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

/** Appends the pipeline runs that start within one minute; the stale pipeline's runs fail after it stalls. */
export function generateTraceMinute(out: TraceColumns, minuteStart: number, startMs: number): void {
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
