import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCompiledBot } from './processes.ts';

/** Secret the benchmarks' bot signs chart links with, so a bench can build valid links itself. */
export const BENCH_CHART_SECRET = 'bench-chart-secret-0123456789abcdef0123';

/**
 * The compiled bot in local mode (simulated GPU fleet, local KQL engine over simulated telemetry,
 * console surface), without the scripted alert story, with `policy` YAML as its policy file.
 */
export function spawnLocalBot(dataDir: string, policy: string) {
  const policyFile = join(dataDir, 'policy.yaml');
  writeFileSync(policyFile, policy);
  return spawnCompiledBot(dataDir, {
    BOT_MODE: 'local',
    SIM: 'off',
    POLICY_FILE: policyFile,
    CHART_URL_SECRET: BENCH_CHART_SECRET,
  });
}

/** Percentile of a sample (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
