import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { ApiException, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { ManualClock } from '../../../core/clock.ts';
import { kubeconfigFor } from '../../../sim/kube/kubeconfig.ts';
import { seedAiPlatform } from '../../../sim/kube/seed.ts';
import { type KubeApiServer, startKubeApi } from '../../../sim/kube/server.ts';

const run = promisify(execFile);

/** A seeded simulated cluster on an OS-assigned port, with a manual clock and a client config. */
export interface SimCluster {
  server: KubeApiServer;
  clock: ManualClock;
  kubeConfig: KubeConfig;
  close(): Promise<void>;
}

/** Pods become Ready this long after scheduling in these tests. */
export const READY_DELAY_MS = 10_000;

export async function startSimCluster(): Promise<SimCluster> {
  const clock = new ManualClock();
  const server = await startKubeApi({
    port: 0,
    clock,
    podReadyDelayMs: READY_DELAY_MS,
    seed: seedAiPlatform,
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigFor(server.url));
  return { server, clock, kubeConfig, close: () => server.close() };
}

/** The Status body a client-node call failed with (client-node hands it over as text). */
export function statusFrom(err: unknown): { code: number; body: Record<string, unknown> } {
  if (!(err instanceof ApiException)) throw err;
  const raw: unknown = err.body;
  const body = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
  return { code: err.code, body };
}

/** Await a call that must fail; returns its HTTP code and Status body. */
export async function expectFailure(
  call: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await call;
  } catch (err) {
    return statusFrom(err);
  }
  throw new Error('expected the API call to fail');
}

/** The kubectl binary on PATH, if any. */
export function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'kubectl');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Runs kubectl against one server with a private HOME (discovery cache) and kubeconfig. */
export function kubectlRunner(bin: string, url: string) {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-sim-'));
  const config = join(home, 'kubeconfig');
  writeFileSync(config, kubeconfigFor(url));
  const env = { PATH: process.env.PATH ?? '', HOME: home, KUBECONFIG: config };
  return {
    async kubectl(...args: string[]): Promise<string> {
      const { stdout } = await run(bin, args, { env, timeout: 15_000 });
      return stdout;
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** Poll a condition that another process makes true (e.g. kubectl opening its watch). */
export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The Content-Type options of the three patch kinds (client-node's default is JSON Patch). */
export const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
export const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
export const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
