import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts an entry point (TypeScript through tsx, or compiled JavaScript) as a child process and
 * waits for a JSON line matching `ready`.
 */
export async function spawnTs(
  entry: string,
  args: string[],
  env: Record<string, string>,
  ready: (line: Record<string, unknown>) => boolean,
): Promise<{ child: ChildProcess; line: Record<string, unknown>; logged: (msg: string) => Promise<void> }> {
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  // BENCH_CPU_PROF=dir: the child writes a V8 CPU profile there when it exits (SIGTERM, not SIGKILL).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...loader, entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Log messages seen so far, and who waits for one (see `logged`).
  const seen = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return; // not a JSON line
      }
      if (ready(parsed)) resolve(parsed);
      if (typeof parsed.msg !== 'string' || seen.has(parsed.msg)) return;
      seen.add(parsed.msg);
      for (const wake of waiting.get(parsed.msg) ?? []) wake();
      waiting.delete(parsed.msg);
    });
  });
  /** Resolves once the child has logged `msg` (at once if it already has). */
  const logged = (msg: string) =>
    seen.has(msg)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.set(msg, [...(waiting.get(msg) ?? []), resolve]));
  return { child, line, logged };
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

export function table(rows: Array<Record<string, string | number>>): string {
  const cols = Object.keys(rows[0] ?? {});
  const fmt = (v: string | number) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v;
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [
    line(cols),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(cols.map((c) => fmt(r[c] ?? '')))),
  ].join('\n');
}

/** Bearer token the benchmarks' bot is started with. */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

/**
 * The compiled bot (npm run build) in its own process, as deployed: production mode, SQLite in
 * `dataDir` (or what `env` says, e.g. DATABASE_URL), the console surface on so cards are
 * delivered somewhere.
 */
export async function spawnCompiledBot(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; logged: (msg: string) => Promise<void> }> {
  const { child, line, logged } = await spawnTs(
    'dist/bot/main.js',
    [],
    {
      BOT_MODE: 'production',
      CONSOLE: 'on',
      // The console has no authentication: production allows it on loopback only.
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      ALERT_WEBHOOK_TOKEN: BENCH_TOKEN,
      LOG_LEVEL: 'info',
      ...env,
    },
    (l) => l.msg === 'on-call bot started',
  );
  return { child, url: String(line.url), logged };
}
