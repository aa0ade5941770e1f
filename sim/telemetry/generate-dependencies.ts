import type { RequestColumns } from './generate-requests.ts';
import { DEPLOYMENTS, MINUTE } from './profile.ts';
import { seeded } from './seeded.ts';

/**
 * The stages of the application's pipeline, as its OpenTelemetry spans name them in AppDependencies:
 * a RAG request embeds the question, searches the vector index and calls the model; a cached answer
 * stops after the semantic-cache lookup. Stage names are the span names the vetted queries read.
 */
export const STAGES = {
  embedding: 'embedding',
  vectorSearch: 'vector-search',
  cache: 'semantic-cache',
  inference: 'llm-inference',
} as const;

/** The roles whose requests run the whole pipeline; the others call their model directly. */
export const PIPELINE_ROLES: ReadonlySet<string> = new Set(['chat-api', 'rag-api', 'agent-api']);

const AOAI_HOST = 'oai-sim-eastus2.openai.azure.com';
const SEARCH_HOST = 'search-sim-eastus2.search.windows.net';
const CACHE_HOST = 'cache-sim-eastus2.redis.cache.windows.net';

/**
 * Column-wise AppDependencies rows (only the columns the simulator fills: not the spans' own Id
 * and ParentId, which no vetted query reads and which would be half a million distinct strings).
 */
export interface DependencyColumns {
  TimeGenerated: number[];
  Target: string[];
  DependencyType: string[];
  Name: string[];
  Success: boolean[];
  ResultCode: string[];
  DurationMs: number[];
  Properties: Record<string, unknown>[];
  OperationName: string[];
  OperationId: string[];
  AppRoleName: string[];
  ItemCount: number[];
  Type: string[];
}

/** Empty column buffers. */
export function emptyDependencyColumns(): DependencyColumns {
  return {
    TimeGenerated: [],
    Target: [],
    DependencyType: [],
    Name: [],
    Success: [],
    ResultCode: [],
    DurationMs: [],
    Properties: [],
    OperationName: [],
    OperationId: [],
    AppRoleName: [],
    ItemCount: [],
    Type: [],
  };
}

/** One properties bag per deployment and version, shared by every span that carries it (a week of spans is a lot of objects). */
const bags = new Map<string, Record<string, unknown>>();
function bagOf(deployment: string, version: string): Record<string, unknown> {
  const key = `${deployment}\u0000${version}`;
  let bag = bags.get(key);
  if (!bag) {
    bag = Object.freeze({ deployment, 'model.version': version }) as Record<string, unknown>;
    bags.set(key, bag);
  }
  return bag;
}
const NO_PROPS: Record<string, unknown> = Object.freeze({});

/**
 * Appends the spans of the requests in `requests[from..to)`: for a pipeline role, embedding and
 * vector search (small and steady, tens of ms) then the model call, which takes the rest of the
 * request's duration, so the stages add up to the request and a slower model shows in
 * `llm-inference` alone; a cache hit is embedding plus the cache lookup. Other roles' requests are
 * one span, their model call. Spans share the request's OperationId and ItemCount (sampling keeps
 * or drops a whole trace).
 */
export function appendDependencies(
  out: DependencyColumns,
  requests: RequestColumns,
  from: number,
  to: number,
): void {
  if (from >= to) return;
  const rand = seeded(Math.floor(requests.TimeGenerated[from]! / MINUTE) ^ 0xde95);
  for (let i = from; i < to; i++) {
    const props = requests.Properties[i]!;
    const deployment = typeof props.deployment === 'string' ? props.deployment : '';
    if (!deployment) continue;
    const role = requests.AppRoleName[i]!;
    const total = requests.DurationMs[i]!;
    const code = requests.ResultCode[i]!;
    const bag = bagOf(deployment, String(props['model.version'] ?? ''));
    let t = requests.TimeGenerated[i]!;
    const span = (name: string, type: string, target: string, ms: number, result: string, p = NO_PROPS) => {
      const duration = Math.round(ms * 10) / 10;
      out.TimeGenerated.push(t);
      out.Target.push(target);
      out.DependencyType.push(type);
      out.Name.push(name);
      out.Success.push(result === '200');
      out.ResultCode.push(result);
      out.DurationMs.push(duration);
      out.Properties.push(p);
      out.OperationName.push(requests.OperationName[i]!);
      out.OperationId.push(requests.OperationId[i]!);
      out.AppRoleName.push(role);
      out.ItemCount.push(requests.ItemCount[i]!);
      out.Type.push('AppDependencies');
      t += Math.round(duration);
    };
    const completion = DEPLOYMENTS.find((d) => d.name === deployment)?.completion ?? false;
    if (!PIPELINE_ROLES.has(role) || !completion) {
      span(
        completion ? STAGES.inference : STAGES.embedding,
        'Azure OpenAI',
        `${AOAI_HOST}/${deployment}`,
        total,
        code,
        bag,
      );
      continue;
    }
    const embed = Math.min(0.3 * total, 12 + 10 * rand());
    const cacheHit = props['cache.hit'] === true;
    span(STAGES.embedding, 'Azure OpenAI', `${AOAI_HOST}/text-embedding-3-large`, embed, '200');
    if (cacheHit) {
      span(STAGES.cache, 'Redis', CACHE_HOST, total - embed, '200');
      continue;
    }
    const search = Math.min(0.3 * total, 15 + 20 * rand());
    span(STAGES.vectorSearch, 'Azure AI Search', SEARCH_HOST, search, '200');
    span(STAGES.inference, 'Azure OpenAI', `${AOAI_HOST}/${deployment}`, total - embed - search, code, bag);
  }
}
