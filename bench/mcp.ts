/**
 * Per-call latency of a vetted query through MCP (issue 18): the SDK's own client calls the
 * `throttle-rate` tool of the real bot over loopback HTTP (Streamable HTTP, bearer token, the
 * governance's checks, JSON-RPC, structured content), against a baseline measured in the same run:
 * the same query with the same parameters run directly on a local logs backend (the same engine
 * over the same simulated telemetry, in a worker thread like the bot's). Calls alternate between the
 * two, so both see the same machine. Prints p50/p99 of each, the ratio and the overhead.
 *
 *   npm run bench:mcp [-- --runs 200 --window 1h]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startSimulatedLogs } from '../bot/local-mode.ts';
import { systemClock } from '../core/clock.ts';
import { percentile } from './lib/local-bot.ts';
import { BENCH_TOKEN, spawnTs, table } from './lib/processes.ts';

const { values: opts } = parseArgs({
  options: { runs: { type: 'string', default: '200' }, window: { type: 'string', default: '1h' } },
});
const runs = Number(opts.runs);
const params = { deployment: 'gpt-4o', window: opts.window, bucket: '5m' };
const AGENT_TOKEN = 'bench-agent-token-0123456789abcdef0123456789';
// Limits high enough that the bench measures the path, not the rate limiter's refusals.
const POLICY = `
rateLimits:
  kql: { perUser: { burst: 100000, perMinute: 1000000 }, global: { burst: 100000, perMinute: 1000000 } }
  mcp: { perUser: { burst: 100000, perMinute: 1000000 }, global: { burst: 100000, perMinute: 1000000 } }
`;

const dataDir = mkdtempSync(join(tmpdir(), 'bench-mcp-'));
writeFileSync(join(dataDir, 'policy.yaml'), POLICY);
const { child, line } = await spawnTs(
  'bot/main.ts',
  [],
  {
    BOT_MODE: 'local',
    SIM: 'off',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    ALERT_WEBHOOK_TOKEN: BENCH_TOKEN,
    POLICY_FILE: join(dataDir, 'policy.yaml'),
    MCP_TOKENS: `bench:${AGENT_TOKEN}`,
    LOG_LEVEL: 'info',
  },
  (l) => l.msg === 'on-call bot started',
);
const direct = startSimulatedLogs(systemClock);
const client = new Client({ name: 'bench-mcp', version: '1.0.0' });
try {
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${String(line.url)}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${AGENT_TOKEN}` } },
    }),
  );
  const viaMcp = async () => {
    const r = (await client.callTool({ name: 'throttle-rate', arguments: params }, undefined, {
      timeout: 300_000,
    })) as CallToolResult;
    if (r.isError) throw new Error(`MCP call failed: ${JSON.stringify(r.content)}`);
    return (r.structuredContent as { rowCount: number }).rowCount;
  };
  const viaBackend = async () => (await direct.run('throttle-rate', params)).result.rows.length;

  // Both telemetry workers build their 7 days of rows first; the first answers wait for that.
  const [mcpRows, directRows] = await Promise.all([viaMcp(), viaBackend()]);
  for (let i = 0; i < 5; i++) await Promise.all([viaMcp(), viaBackend()]);

  const samples = { mcp: [] as number[], direct: [] as number[] };
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of i % 2 === 0
      ? ([
          ['mcp', viaMcp],
          ['direct', viaBackend],
        ] as const)
      : ([
          ['direct', viaBackend],
          ['mcp', viaMcp],
        ] as const)) {
      const t0 = performance.now();
      await run();
      samples[name].push(performance.now() - t0);
    }
  }
  const row = (path: string, ms: number[]) => ({
    path,
    runs: ms.length,
    'p50 ms': percentile(ms, 50),
    'p99 ms': percentile(ms, 99),
    'mean ms': ms.reduce((a, b) => a + b, 0) / ms.length,
  });
  const m50 = percentile(samples.mcp, 50);
  const d50 = percentile(samples.direct, 50);
  console.log(
    `throttle-rate ${JSON.stringify(params)}: ${mcpRows} rows through MCP, ${directRows} directly\n`,
  );
  console.log(
    table([
      row('MCP tool call (SDK client, HTTP)', samples.mcp),
      row('direct backend run (baseline)', samples.direct),
    ]),
  );
  console.log(
    `\nMCP / direct at p50: ${(m50 / d50).toFixed(2)}x; overhead at p50 ${(m50 - d50).toFixed(2)} ms, at p99 ${(percentile(samples.mcp, 99) - percentile(samples.direct, 99)).toFixed(2)} ms`,
  );
} finally {
  await client.close();
  await direct.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
