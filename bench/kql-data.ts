/**
 * Deterministic AppRequests generator for the KQL engine benchmark: writes engine columns
 * directly (typed arrays, dictionary-encoded strings, shredded Properties) so 10M rows fit in memory.
 */
import type { Column, NumColumn, StrColumn } from '../queries/engine/column.ts';
import { type Dict, packStrings } from '../queries/engine/string-dict.ts';
import { APP_REQUESTS } from '../queries/engine/table-schemas.ts';

/** A small, fast, seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROLES = ['chat-api', 'rag-api', 'embed-api', 'agent-api', 'batch-api'];
const ROLE_WEIGHTS = [0.4, 0.25, 0.2, 0.1, 0.05];
const DEPLOYMENTS = ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-large', 'o3-mini', 'gpt-4.1'];
/** Deployments each role calls, with the probability of the first. */
const ROLE_DEPLOYMENTS: [number, number, number][] = [
  [0, 1, 0.7],
  [1, 4, 0.6],
  [2, 2, 1],
  [3, 0, 0.5],
  [4, 4, 1],
];
const MEDIAN_MS = [900, 400, 60, 3000, 1200];
const CODES = ['200', '429', '500', '503', '400'];
const BUCKETS = [
  '<250ms',
  '250ms-500ms',
  '500ms-1sec',
  '1sec-3sec',
  '3sec-7sec',
  '7sec-15sec',
  '15sec-30sec',
  '>=30sec',
];
const BUCKET_LIMITS = [250, 500, 1000, 3000, 7000, 15000, 30000];

/** The generated table plus the fixed clock it was generated for. */
export interface GeneratedRequests {
  now: number;
  rows: number;
  columns: { name: string; col: Column }[];
}

const str = (codes: Int32Array, dict: Dict): StrColumn => ({ kind: 'str', type: 'string', codes, dict });
const num = (type: NumColumn['type'], values: Float64Array, nulls: Uint8Array | null = null): NumColumn => ({
  kind: 'num',
  type,
  values,
  nulls,
});

/**
 * Generates `n` requests over the 7 days before `now`: log-normal latencies per deployment, a daily
 * 429 episode on gpt-4o (14:00–14:45 UTC), a 5xx spike on agent-api in the last hour, tokens in
 * Properties, and a model-version change after day 5.
 */
export function generateAppRequests(n: number, seed = 42, now = Date.UTC(2026, 0, 8)): GeneratedRequests {
  const rnd = seededRandom(seed);
  const span = 7 * 86_400_000;
  const start = now - span;
  const time = new Float64Array(n);
  const dur = new Float64Array(n);
  const role = new Int32Array(n);
  const dep = new Int32Array(n);
  const code = new Int32Array(n);
  const success = new Uint8Array(n);
  const bucket = new Int32Array(n);
  const instance = new Int32Array(n);
  const version = new Int32Array(n);
  const client = new Int32Array(n);
  const user = new Int32Array(n);
  const session = new Int32Array(n);
  const tokens = new Float64Array(n);
  const prompt = new Float64Array(n);
  const completion = new Float64Array(n);
  const tokenNulls = new Uint8Array(n);
  const ttft = new Float64Array(n);
  const ttftNulls = new Uint8Array(n);
  const idCodes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = start + ((i + rnd()) * span) / n;
    time[i] = t;
    let r = 0;
    for (let u = rnd(), acc = ROLE_WEIGHTS[0]!; u > acc && r < ROLES.length - 1; acc += ROLE_WEIGHTS[++r]!);
    role[i] = r;
    const [d1, d2, p1] = ROLE_DEPLOYMENTS[r]!;
    const d = rnd() < p1 ? d1 : d2;
    dep[i] = d;
    // Log-normal latency (Box–Muller), sigma 0.6, plus a rare slow tail.
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    let ms = MEDIAN_MS[d]! * Math.exp(0.6 * z) * (rnd() < 0.002 ? 8 : 1);
    const hourOfDay = (t % 86_400_000) / 3_600_000;
    let c = 0;
    const u = rnd();
    if (d === 0 && hourOfDay >= 14 && hourOfDay < 14.75 && u < 0.3) c = 1;
    else if (r === 3 && now - t < 3_600_000 && u < 0.05) c = 2;
    else if (u < 0.002) c = 2;
    else if (u < 0.003) c = 3;
    else if (u < 0.004) c = 4;
    if (c === 1) ms = 20 + rnd() * 60;
    dur[i] = Math.round(ms * 1000) / 1000;
    code[i] = c;
    success[i] = c === 0 ? 1 : 0;
    let b = 0;
    while (b < BUCKET_LIMITS.length && ms >= BUCKET_LIMITS[b]!) b++;
    bucket[i] = b;
    instance[i] = r * 4 + Math.floor(rnd() * 4);
    version[i] = t > start + 5 * 86_400_000 ? 1 : 0;
    client[i] = Math.floor(rnd() * 5000);
    user[i] = Math.floor(rnd() * 20000);
    session[i] = Math.floor(rnd() * 500_000);
    if (c === 0) {
      const pt = 100 + Math.floor(rnd() * 1900);
      const ct = d === 2 ? 0 : 20 + Math.floor(rnd() * 780);
      prompt[i] = pt;
      completion[i] = ct;
      tokens[i] = pt + ct;
      ttft[i] = Math.round(ms * 0.3);
    } else {
      tokenNulls[i] = 1;
      ttftNulls[i] = 1;
    }
    idCodes[i] = i;
  }
  const hexId = (i: number): string => (i * 2654435761 + seed).toString(16).padStart(16, '0');
  const ids = packStrings(n, hexId);
  const opIds = packStrings(n, (i) => `op${hexId(i)}`);
  const idx = (k: number, f: (j: number) => string): string[] => Array.from({ length: k }, (_, j) => f(j));
  const names = DEPLOYMENTS.map((x) => `POST /openai/deployments/${x}/chat/completions`);
  const columns: { name: string; col: Column }[] = [
    { name: 'TimeGenerated', col: num('datetime', time) },
    { name: 'Id', col: str(idCodes, ids) },
    { name: 'Name', col: str(dep, names) },
    {
      name: 'Url',
      col: str(
        dep,
        names.map((x) => `https://aoai.example.net${x.slice(5)}`),
      ),
    },
    { name: 'Success', col: { kind: 'bool', type: 'bool', values: success } },
    { name: 'ResultCode', col: str(code, CODES) },
    { name: 'DurationMs', col: num('real', dur) },
    { name: 'PerformanceBucket', col: str(bucket, BUCKETS) },
    {
      name: 'Properties',
      col: {
        kind: 'dyn',
        type: 'dynamic',
        length: n,
        nulls: null,
        fields: new Map<string, Column>([
          ['deployment', str(dep, DEPLOYMENTS)],
          ['tokens.total', num('long', tokens, tokenNulls)],
          ['tokens.prompt', num('long', prompt, tokenNulls)],
          ['tokens.completion', num('long', completion, tokenNulls)],
        ]),
      },
    },
    {
      name: 'Measurements',
      col: {
        kind: 'dyn',
        type: 'dynamic',
        length: n,
        nulls: null,
        fields: new Map([['ttft_ms', num('real', ttft, ttftNulls)]]),
      },
    },
    { name: 'OperationName', col: str(dep, names) },
    { name: 'OperationId', col: str(idCodes, opIds) },
    { name: 'AppRoleName', col: str(role, ROLES) },
    {
      name: 'AppRoleInstance',
      col: str(
        instance,
        idx(20, (j) => `${ROLES[j >> 2]}-${j & 3}`),
      ),
    },
    { name: 'AppVersion', col: str(version, ['1.4.2', '1.5.0']) },
    {
      name: 'ClientIP',
      col: str(
        client,
        idx(5000, (j) => `10.${j >> 8}.${j & 255}.7`),
      ),
    },
    {
      name: 'UserId',
      col: str(
        user,
        idx(20000, (j) => `u-${j}`),
      ),
    },
    {
      name: 'SessionId',
      col: str(
        session,
        packStrings(500_000, (j) => `s-${j.toString(36)}`),
      ),
    },
    { name: 'ItemCount', col: num('int', new Float64Array(n).fill(1)) },
  ];
  const declared = new Set(APP_REQUESTS.columns.map((c) => c.name));
  for (const c of columns)
    if (!declared.has(c.name)) throw new Error(`column ${c.name} is not in the AppRequests schema`);
  return { now, rows: n, columns };
}
